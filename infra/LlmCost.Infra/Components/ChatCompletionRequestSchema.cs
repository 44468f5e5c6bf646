using System.Text.Json.Nodes;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Components;

/// <summary>
/// The JSON Schema (draft 4, as API Gateway models require) that the gateway checks chat requests against before
/// the Lambda runs: a request with too many or too long messages is refused at no Lambda or model cost. It
/// bounds shape and size only; the router still validates every field.
/// </summary>
internal static class ChatCompletionRequestSchema
{
    public static string For(GatewaySettings gateway)
    {
        var text = new JsonObject { ["type"] = "string", ["maxLength"] = gateway.MaxMessageChars };
        var part = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["text"] = text.DeepClone() },
        };
        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-04/schema#",
            ["title"] = "ChatCompletionRequest",
            ["type"] = "object",
            ["required"] = new JsonArray("model", "messages"),
            ["properties"] = new JsonObject
            {
                ["model"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 256 },
                ["messages"] = new JsonObject
                {
                    ["type"] = "array",
                    ["minItems"] = 1,
                    ["maxItems"] = gateway.MaxMessages,
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = new JsonArray("role"),
                        ["properties"] = new JsonObject
                        {
                            ["role"] = new JsonObject { ["type"] = "string" },
                            ["content"] = new JsonObject
                            {
                                ["type"] = new JsonArray("string", "array", "null"),
                                ["maxLength"] = gateway.MaxMessageChars,
                                ["maxItems"] = 64,
                                ["items"] = part,
                            },
                        },
                    },
                },
                ["max_tokens"] = new JsonObject { ["type"] = new JsonArray("integer", "null"), ["minimum"] = 1 },
                ["max_completion_tokens"] = new JsonObject { ["type"] = new JsonArray("integer", "null"), ["minimum"] = 1 },
                ["stream"] = new JsonObject { ["type"] = new JsonArray("boolean", "null") },
            },
        };
        return schema.ToJsonString();
    }
}
