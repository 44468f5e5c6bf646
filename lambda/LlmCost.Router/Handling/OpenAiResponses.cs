using System.Buffers;
using System.Globalization;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Router.Backends;
using LlmCost.Router.Chat;
using LlmCost.Router.Configuration;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Router.Handling;

/// <summary>Bodies in OpenAI's shapes: a chat completion with usage, a model list, an error.</summary>
internal static class OpenAiResponses
{
    public static byte[] ChatCompletion(string requestId, DateTimeOffset created, RouteConfiguration route, BackendReply reply, decimal costUsd, decimal estimatedCostUsd)
    {
        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", "chatcmpl-" + requestId);
            w.WriteString("object", "chat.completion");
            w.WriteNumber("created", created.ToUnixTimeSeconds());
            w.WriteString("model", route.ModelId);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            w.WriteString("content", reply.Text);
            w.WriteNull("refusal");
            w.WriteEndObject();
            w.WriteNull("logprobs");
            w.WriteString("finish_reason", reply.FinishReason);
            w.WriteEndObject();
            w.WriteEndArray();
            WriteUsageAndCost(w, reply.Usage, route, costUsd, estimatedCostUsd);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// The <c>usage</c> and <c>llm_cost</c> members of a completion or of a stream's usage chunk. OpenAI's
    /// prompt_tokens includes cached tokens; Bedrock reports cache reads and writes beside inputTokens.
    /// </summary>
    public static void WriteUsageAndCost(Utf8JsonWriter w, TokenUsage u, RouteConfiguration route, decimal costUsd, decimal estimatedCostUsd)
    {
        var prompt = u.InputTokens + u.CacheReadTokens + u.CacheWriteTokens;
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", prompt);
        w.WriteNumber("completion_tokens", u.OutputTokens);
        w.WriteNumber("total_tokens", prompt + u.OutputTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", u.CacheReadTokens);
        w.WriteNumber("cache_write_tokens", u.CacheWriteTokens);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("llm_cost");
        w.WriteString("route", route.Name);
        w.WriteString("backend", route.Backend.Name());
        w.WriteNumber("cost_usd", costUsd);
        w.WriteNumber("estimated_cost_usd", estimatedCostUsd);
        w.WriteEndObject();
    }

    public static byte[] Models(RouteTable routes)
    {
        var created = DateOnly.TryParseExact(routes.Config.Prices.AsOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asOf)
            ? new DateTimeOffset(asOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds()
            : 0;
        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            foreach (var id in routes.AllowedModels)
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteString("object", "model");
                w.WriteNumber("created", created);
                w.WriteString("owned_by", "llm-cost");
                if (id != RouteTable.Auto)
                {
                    var route = routes.Route(id);
                    w.WriteString("backend", route.Backend.Name());
                    w.WriteString("model_id", route.ModelId);
                    w.WriteNumber("max_input_tokens", route.MaxInputTokens);
                    w.WriteNumber("max_output_tokens", route.MaxOutputTokens);
                    w.WriteNumber("input_usd_per_1m", route.Prices.InputPer1M);
                    w.WriteNumber("output_usd_per_1m", route.Prices.OutputPer1M);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    public static byte[] Error(RequestError error) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", error.Message);
        w.WriteString("type", error.Type);
        if (error.Param is null)
        {
            w.WriteNull("param");
        }
        else
        {
            w.WriteString("param", error.Param);
        }

        w.WriteString("code", error.Code);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions.Writer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
