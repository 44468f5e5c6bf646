using System.Runtime.CompilerServices;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Router.Backends;

namespace LlmCost.Router.Streaming;

/// <summary>
/// Bedrock ConverseStream's body (<c>application/vnd.amazon.eventstream</c>) read as it arrives: frames decoded by
/// <see cref="EventStreamReader"/> (both checksums verified), events yielded one by one so the router forwards each
/// delta at once. An exception frame (<c>:message-type</c> exception) or a broken frame is a <see cref="BackendException"/>;
/// a connection that drops surfaces as the stream's own IOException/HttpRequestException for the caller to classify.
/// </summary>
internal static class ConverseStreamReader
{
    public static async IAsyncEnumerable<ConverseStreamEvent> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in EventStreamReader.ReadAsync(body, "Bedrock", cancellationToken))
        {
            // An exception frame throws here, after the events before it went out.
            if (Parse(message) is { } parsed)
            {
                yield return parsed;
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
