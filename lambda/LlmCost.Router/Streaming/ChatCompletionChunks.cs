using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Router.Backends;
using LlmCost.Router.Handling;

namespace LlmCost.Router.Streaming;

/// <summary>
/// A whole reply as OpenAI's server-sent events for <c>stream: true</c>: the role chunk, the text, the finish reason,
/// the usage chunk (empty choices, with the cost) when <c>stream_options.include_usage</c>, then <c>data: [DONE]</c>.
/// The router does not yet stream from the backend, so the events arrive together; clients that ask for a stream
/// get the format they parse.
/// </summary>
internal static class ChatCompletionChunks
{
    public const string ContentType = "text/event-stream";

    public static byte[] Render(string requestId, DateTimeOffset created, RouteConfiguration route, BackendReply reply, decimal costUsd, decimal estimatedCostUsd, bool includeUsage)
    {
        var output = new ArrayBufferWriter<byte>(reply.Text.Length + 2048);
        void Chunk(Action<Utf8JsonWriter> choices, Action<Utf8JsonWriter>? usage = null)
        {
            output.Write("data: "u8);
            using (var w = new Utf8JsonWriter(output, JsonOptions.Writer))
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
            }

            output.Write("\n\n"u8);
        }

        void Choice(Utf8JsonWriter w, string? role, string? content, string? finish)
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

        Chunk(w => Choice(w, "assistant", "", null));
        if (reply.Text.Length > 0)
        {
            Chunk(w => Choice(w, null, reply.Text, null));
        }

        Chunk(w => Choice(w, null, null, reply.FinishReason));
        if (includeUsage)
        {
            var u = reply.Usage;
            var prompt = u.InputTokens + u.CacheReadTokens + u.CacheWriteTokens;
            Chunk(_ => { }, w =>
            {
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
                w.WriteString("backend", route.Backend);
                w.WriteNumber("cost_usd", costUsd);
                w.WriteNumber("estimated_cost_usd", estimatedCostUsd);
                w.WriteEndObject();
            });
        }

        output.Write("data: [DONE]\n\n"u8);
        return output.WrittenSpan.ToArray();
    }
}
