using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Router.Backends;

namespace LlmCost.Router.Streaming;

/// <summary>
/// Bedrock ConverseStream's body (<c>application/vnd.amazon.eventstream</c>) read as it arrives: frames decoded with
/// <see cref="EventStreamDecoder"/> (both checksums verified), events yielded one by one so the router forwards each
/// delta at once. An exception frame (<c>:message-type</c> exception) or a broken frame is a <see cref="BackendException"/>;
/// a connection that drops surfaces as the stream's own IOException/HttpRequestException for the caller to classify.
/// </summary>
internal static class ConverseStreamReader
{
    public static async IAsyncEnumerable<ConverseStreamEvent> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = new ArrayBufferWriter<byte>(16 * 1024);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await body.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                if (pending.WrittenCount > 0)
                {
                    throw new BackendException(FailureKind.Malformed, "stream_truncated", "Bedrock's stream ended inside a frame", reason: FailureReasons.MalformedResponse);
                }

                yield break;
            }

            pending.Write(buffer.AsSpan(0, read));
            var sequence = new ReadOnlySequence<byte>(pending.WrittenMemory);
            var events = new List<ConverseStreamEvent>();
            BackendException? deferred = null;
            while (true)
            {
                EventStreamMessage? message;
                try
                {
                    if (!EventStreamDecoder.TryRead(ref sequence, out message))
                    {
                        break;
                    }
                }
                catch (EventStreamFormatException e)
                {
                    throw new BackendException(FailureKind.Malformed, "event_stream_broken", $"Bedrock's event stream is broken ({e.Message})", reason: FailureReasons.MalformedResponse);
                }

                try
                {
                    if (Parse(message!) is { } parsed)
                    {
                        events.Add(parsed);
                    }
                }
                catch (BackendException e)
                {
                    // The events before an exception frame in the same read still go out first.
                    deferred = e;
                    break;
                }
            }

            // Keep the partial frame for the next read.
            var rest = sequence.ToArray();
            pending.Clear();
            pending.Write(rest);
            foreach (var e in events)
            {
                yield return e;
            }

            if (deferred is not null)
            {
                throw deferred;
            }
        }
    }

    public static ConverseStreamEvent? Parse(EventStreamMessage message)
    {
        var messageType = message.Header(":message-type");
        if (messageType is "exception" or "error")
        {
            // The exception's name only: its message is Bedrock's text and may quote the prompt.
            var code = message.Header(":exception-type") ?? message.Header(":error-code") ?? "stream_exception";
            var kind = code switch
            {
                "throttlingException" or "ThrottlingException" => FailureKind.Throttled,
                "modelStreamErrorException" or "ModelStreamErrorException" => FailureKind.Failed,
                "validationException" or "ValidationException" => FailureKind.Rejected,
                _ => FailureKind.ServerError,
            };
            return Throw(new BackendException(kind, code, $"Bedrock's stream carried an exception ({BackendException.SafeCode(code)})", reason: FailureReasons.StreamInterrupted));
        }

        try
        {
            using var document = JsonDocument.Parse(message.Payload);
            var root = document.RootElement;
            switch (message.Header(":event-type"))
            {
                case "contentBlockDelta":
                    return root.TryGetProperty("delta", out var delta) && delta.TryGetProperty("text", out var text) ? new TextDelta(text.GetString() ?? "") : null;
                case "messageStop":
                    return new MessageStop(root.GetProperty("stopReason").GetString() ?? "");
                case "metadata":
                    var usage = root.GetProperty("usage");
                    long? latency = root.TryGetProperty("metrics", out var metrics) && metrics.TryGetProperty("latencyMs", out var l) && l.TryGetInt64(out var ms) ? ms : null;
                    return new StreamMetadata(
                        new TokenUsage(
                            InputTokens: usage.GetProperty("inputTokens").GetInt64(),
                            OutputTokens: usage.GetProperty("outputTokens").GetInt64(),
                            CacheReadTokens: Optional(usage, "cacheReadInputTokens"),
                            CacheWriteTokens: Optional(usage, "cacheWriteInputTokens")),
                        latency);
                default:
                    return null;
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new BackendException(FailureKind.Malformed, "malformed_response", $"a ConverseStream event is not what the format promises ({e.GetType().Name})");
        }
    }

    private static ConverseStreamEvent Throw(BackendException e) => throw e;

    private static long Optional(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
}
