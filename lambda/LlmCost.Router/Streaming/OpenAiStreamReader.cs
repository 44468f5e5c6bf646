using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Router.Backends;

namespace LlmCost.Router.Streaming;

/// <summary>
/// An OpenAI-compatible service's streamed chat completion (server-sent events, one <c>data:</c> line per chunk, the
/// usage chunk when <c>stream_options.include_usage</c>, then <c>data: [DONE]</c>) read as it arrives and turned into
/// the router's stream events. Cached tokens come out of <c>prompt_tokens</c>, as for a whole answer. Used for an ECS
/// fleet's own HTTP stream and, line by line (<see cref="Line"/>), for the same events carried in SageMaker's
/// PayloadParts.
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
                throw Oversized();
            }

            foreach (var e in Line(line, out done))
            {
                yield return e;
            }
        }
    }

    /// <summary>
    /// One SSE line: the events of a <c>data:</c> chunk (none for comments, other fields and blank lines);
    /// <paramref name="done"/> at <c>data: [DONE]</c>.
    /// </summary>
    public static IReadOnlyList<ConverseStreamEvent> Line(string line, out bool done)
    {
        done = false;
        if (!line.StartsWith("data:", StringComparison.Ordinal))
        {
            return [];
        }

        var data = line[5..].Trim();
        if (data == "[DONE]")
        {
            done = true;
            return [];
        }

        return Parse(data);
    }

    public static BackendException Oversized() =>
        new(FailureKind.Malformed, "event_stream_broken", "the fleet's stream has an oversized line", reason: FailureReasons.MalformedResponse);

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

/// <summary>
/// Server-sent-event lines out of bytes that arrive in pieces cut anywhere (SageMaker's PayloadParts split the
/// container's stream wherever they like, inside a line or a UTF-8 character). Lines end at LF, a CR before it is
/// dropped; a line is decoded only once whole, and LF never occurs inside a UTF-8 sequence.
/// </summary>
internal sealed class SseLineBuffer
{
    private readonly ArrayBufferWriter<byte> _pending = new(4096);

    /// <summary>The lines <paramref name="bytes"/> complete, in order.</summary>
    public List<string> Push(ReadOnlySpan<byte> bytes)
    {
        var lines = new List<string>();
        while (bytes.Length > 0)
        {
            var end = bytes.IndexOf((byte)'\n');
            var piece = end < 0 ? bytes : bytes[..end];
            if (_pending.WrittenCount + piece.Length > OpenAiStreamReader.MaxLineBytes)
            {
                throw OpenAiStreamReader.Oversized();
            }

            _pending.Write(piece);
            if (end < 0)
            {
                break;
            }

            var line = _pending.WrittenSpan;
            lines.Add(Encoding.UTF8.GetString(line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line));
            _pending.Clear();
            bytes = bytes[(end + 1)..];
        }

        return lines;
    }

    /// <summary>A last line the stream ended without a newline after, if any.</summary>
    public string? Rest() => _pending.WrittenCount > 0 ? Encoding.UTF8.GetString(_pending.WrittenSpan) : null;
}
