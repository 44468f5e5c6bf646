using System.Runtime.CompilerServices;
using System.Text.Json;
using LlmCost.Router.Backends;

namespace LlmCost.Router.Streaming;

/// <summary>
/// SageMaker Runtime InvokeEndpointWithResponseStream's body, read as it arrives: AWS event-stream messages
/// (<see cref="EventStreamReader"/>, both checksums verified). A <c>PayloadPart</c> event's payload is a piece of the
/// container's own stream (<c>:content-type</c> application/octet-stream); for the TGI container, asked for
/// <c>stream: true</c> with <c>messages</c>, that is OpenAI chat-completion chunks as server-sent events, the usage chunk
/// (from TGI's details: input length, generated tokens) and <c>data: [DONE]</c>, cut into parts anywhere. Exception
/// messages (<c>ModelStreamError</c>, <c>InternalStreamFailure</c>) end the stream as a <see cref="BackendException"/>
/// carrying their names and SageMaker's error code, never their text.
/// </summary>
internal static class SageMakerStreamReader
{
    public const string PayloadPart = "PayloadPart";

    public static async IAsyncEnumerable<ConverseStreamEvent> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = new SseLineBuffer();
        await foreach (var message in EventStreamReader.ReadAsync(body, "SageMaker", cancellationToken))
        {
            if (Payload(message) is not { } payload)
            {
                continue;
            }

            foreach (var line in lines.Push(payload))
            {
                var events = OpenAiStreamReader.Line(line, out var done);
                foreach (var e in events)
                {
                    yield return e;
                }

                if (done)
                {
                    yield break;
                }
            }
        }

        if (lines.Rest() is { } last)
        {
            foreach (var e in OpenAiStreamReader.Line(last, out _))
            {
                yield return e;
            }
        }
    }

    /// <summary>A PayloadPart's bytes; null for an event the router does not act on; throws for an exception message.</summary>
    public static byte[]? Payload(EventStreamMessage message)
    {
        var messageType = message.Header(":message-type");
        if (messageType is "exception" or "error")
        {
            var type = message.Header(":exception-type") ?? message.Header(":error-code") ?? "stream_exception";
            var kind = type switch
            {
                // The model's stream broke (StreamBroken) or ran past SageMaker's time (ModelInvocationTimeExceeded).
                "ModelStreamError" => FailureKind.Failed,
                // SageMaker's own failure: "try your request again".
                _ => FailureKind.ServerError,
            };
            var code = ErrorCode(message.Payload);
            var safeType = BackendException.SafeCode(type);
            return Throw(new BackendException(kind, safeType,
                $"SageMaker's stream carried {safeType}{(code is null ? "" : $" ({BackendException.SafeCode(code)})")}", reason: FailureReasons.StreamInterrupted));
        }

        return messageType == "event" && message.Header(":event-type") == PayloadPart ? message.Payload : null;
    }

    /// <summary>SageMaker's enumerated <c>ErrorCode</c> (StreamBroken, ModelInvocationTimeExceeded), if the payload has one; never its message.</summary>
    private static string? ErrorCode(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("ErrorCode", out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Throw(BackendException e) => throw e;
}
