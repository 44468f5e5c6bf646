using System.Buffers;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Router.Chat;
using LlmCost.Router.Handling;

namespace LlmCost.Router.Streaming;

/// <summary>
/// OpenAI <c>chat.completion.chunk</c> server-sent events, one at a time, for an answer streamed as it arrives: the
/// role, each text delta, the finish reason, the usage chunk (empty choices, with the cost) when
/// <c>stream_options.include_usage</c>, <c>data: [DONE]</c>; or an error event in OpenAI's shape when the stream breaks.
/// </summary>
internal sealed class ChunkEvents(string requestId, DateTimeOffset created, RouteConfiguration route, bool includeUsage)
{
    public static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public byte[] Role() => Chunk(w => Choice(w, "assistant", "", null));

    public byte[] Content(string text) => Chunk(w => Choice(w, null, text, null));

    public byte[] Finish(string finishReason) => Chunk(w => Choice(w, null, null, finishReason));

    public byte[] Usage(TokenUsage u, decimal costUsd, decimal estimatedCostUsd) =>
        Chunk(_ => { }, w => OpenAiResponses.WriteUsageAndCost(w, u, route, costUsd, estimatedCostUsd));

    /// <summary>What OpenAI sends when a stream fails after it began: <c>data: {"error":{…}}</c>, then the stream ends.</summary>
    public static byte[] Error(RequestError error) => Event(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", error.Message);
        w.WriteString("type", error.Status >= 500 ? "server_error" : "invalid_request_error");
        w.WriteNull("param");
        w.WriteString("code", error.Code);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private byte[] Chunk(Action<Utf8JsonWriter> choices, Action<Utf8JsonWriter>? usage = null) => Event(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", "chatcmpl-" + requestId);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", created.ToUnixTimeSeconds());
        w.WriteString("model", route.ModelId);
        w.WriteStartArray("choices");
        choices(w);
        w.WriteEndArray();
        if (usage is not null)
        {
            usage(w);
        }
        else if (includeUsage)
        {
            w.WriteNull("usage");
        }

        w.WriteEndObject();
    });

    private static byte[] Event(Action<Utf8JsonWriter> write)
    {
        var output = new ArrayBufferWriter<byte>(256);
        output.Write("data: "u8);
        using (var w = new Utf8JsonWriter(output, JsonOptions.Writer))
        {
            write(w);
        }

        output.Write("\n\n"u8);
        return output.WrittenSpan.ToArray();
    }

    private static void Choice(Utf8JsonWriter w, string? role, string? content, string? finish)
    {
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        if (role is not null)
        {
            w.WriteString("role", role);
        }

        if (content is not null)
        {
            w.WriteString("content", content);
        }

        w.WriteEndObject();
        w.WriteNull("logprobs");
        if (finish is null)
        {
            w.WriteNull("finish_reason");
        }
        else
        {
            w.WriteString("finish_reason", finish);
        }

        w.WriteEndObject();
    }
}
