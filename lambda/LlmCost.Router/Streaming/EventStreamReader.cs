using System.Buffers;
using System.Runtime.CompilerServices;
using LlmCost.Router.Backends;

namespace LlmCost.Router.Streaming;

/// <summary>
/// An <c>application/vnd.amazon.eventstream</c> body read as it arrives (Bedrock ConverseStream, SageMaker
/// InvokeEndpointWithResponseStream): whole messages, both checksums verified by <see cref="EventStreamDecoder"/>,
/// yielded one by one, so whatever came before an exception frame is acted on first. A broken frame, or a body that ends
/// inside one, is a <see cref="BackendException"/>; a dropped connection surfaces as the stream's own
/// IOException/HttpRequestException for the caller to classify.
/// </summary>
internal static class EventStreamReader
{
    /// <param name="service">Who sent the stream, for the failure's message (Bedrock, SageMaker).</param>
    public static async IAsyncEnumerable<EventStreamMessage> ReadAsync(Stream body, string service, [EnumeratorCancellation] CancellationToken cancellationToken)
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
                    throw new BackendException(FailureKind.Malformed, "stream_truncated", $"{service}'s stream ended inside a frame", reason: FailureReasons.MalformedResponse);
                }

                yield break;
            }

            pending.Write(buffer.AsSpan(0, read));
            var sequence = new ReadOnlySequence<byte>(pending.WrittenMemory);
            var messages = new List<EventStreamMessage>();
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
                    throw new BackendException(FailureKind.Malformed, "event_stream_broken", $"{service}'s event stream is broken ({e.Message})", reason: FailureReasons.MalformedResponse);
                }

                messages.Add(message!);
            }

            // Keep the partial frame for the next read.
            var rest = sequence.ToArray();
            pending.Clear();
            pending.Write(rest);
            foreach (var message in messages)
            {
                yield return message;
            }
        }
    }
}
