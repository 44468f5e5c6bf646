using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Router.Backends;

namespace LlmCost.Router.Streaming;

/// <summary>
/// An OpenAI-compatible service's streamed chat completion (server-sent events, one <c>data:</c> line per chunk, the
/// usage chunk when <c>stream_options.include_usage</c>, then <c>data: [DONE]</c>) read as it arrives and turned into
/// the router's stream events. Cached tokens come out of <c>prompt_tokens</c>, as for a whole answer.
/// </summary>
internal static class OpenAiStreamReader
{
    /// <summary>One SSE line longer than this is a broken stream, not something to buffer.</summary>
    public const int MaxLineBytes = 1024 * 1024;

    public static async IAsyncEnumerable<ConverseStreamEvent> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096);
        var done = false;
        while (!done)
        {
            var line = await reader.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                yield break;
            }

            if (line.Length > MaxLineBytes)
            {
                throw new BackendException(FailureKind.Malformed, "event_stream_broken", "the fleet's stream has an oversized line", reason: FailureReasons.MalformedResponse);
            }

            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            var data = line[5..].Trim();
            if (data == "[DONE]")
            {
                done = true;
                continue;
            }

            foreach (var e in Parse(data))
            {
                yield return e;
            }
        }
    }

    private static List<ConverseStreamEvent> Parse(string data)
    {
        var events = new List<ConverseStreamEvent>();
        try
        {
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            if (root.TryGetProperty("error", out _))
            {
                // The service's own words may quote the prompt: only that it failed.
                throw new BackendException(FailureKind.ServerError, "stream_error", "the fleet's stream carried an error", reason: FailureReasons.StreamInterrupted);
            }

            if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
            {
                var choice = choices[0];
                if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                {
                    events.Add(new TextDelta(content.GetString()!));
                }

                if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
                {
                    events.Add(new MessageStop(finish.GetString()!));
                }
            }

            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                long cached = usage.TryGetProperty("prompt_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object
                    && details.TryGetProperty("cached_tokens", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt64() : 0;
                var prompt = usage.GetProperty("prompt_tokens").GetInt64();
                var completion = usage.GetProperty("completion_tokens").GetInt64();
                if (prompt < 0 || completion < 0 || cached < 0 || cached > prompt)
                {
                    throw new FormatException("impossible token counts");
                }

                events.Add(new StreamMetadata(new TokenUsage(prompt - cached, completion, CacheReadTokens: cached), null));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new BackendException(FailureKind.Malformed, "malformed_response", $"a fleet stream chunk is not a chat completion chunk ({e.GetType().Name})");
        }

        return events;
    }
}
