using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace LlmCost.Router.Streaming;

/// <summary>One decoded event-stream message: its string headers (<c>:event-type</c>, <c>:message-type</c>…) and payload.</summary>
internal sealed record EventStreamMessage(IReadOnlyDictionary<string, string> Headers, byte[] Payload)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A frame that breaks the format: a checksum that does not match, impossible lengths, a truncated header.</summary>
internal sealed class EventStreamFormatException(string message) : Exception(message);

/// <summary>
/// The AWS event-stream binary framing (Bedrock ConverseStream, SageMaker InvokeEndpointWithResponseStream), decoded
/// incrementally as bytes arrive: each message is <c>total length (u32) | headers length (u32) | prelude CRC-32 |
/// headers | payload | message CRC-32</c>, big-endian, both checksums verified. Written here rather than taken from
/// AWSSDK.Core (whose <c>EventStreamDecoder</c> would do) to keep that package, and its size, out of the Native AOT
/// bundle; the tests check this decoder against AWSSDK.Core's encoder.
/// </summary>
internal static class EventStreamDecoder
{
    public const int PreludeBytes = 12;
    public const int MinMessageBytes = PreludeBytes + 4;

    /// <summary>Bedrock's stream events are small (a text delta, usage); a frame over this is refused, not buffered.</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    /// <summary>
    /// Takes one whole message off the front of <paramref name="buffer"/> when it is there; false when more bytes are
    /// needed. Throws <see cref="EventStreamFormatException"/> for a broken frame.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out EventStreamMessage? message)
    {
        message = null;
        if (buffer.Length < PreludeBytes)
        {
            return false;
        }

        Span<byte> prelude = stackalloc byte[PreludeBytes];
        buffer.Slice(0, PreludeBytes).CopyTo(prelude);
        var total = BinaryPrimitives.ReadUInt32BigEndian(prelude);
        var headersLength = BinaryPrimitives.ReadUInt32BigEndian(prelude[4..]);
        var preludeCrc = BinaryPrimitives.ReadUInt32BigEndian(prelude[8..]);
        if (Crc32.Compute(prelude[..8]) != preludeCrc)
        {
            throw new EventStreamFormatException("prelude checksum mismatch");
        }

        if (total < MinMessageBytes || total > MaxMessageBytes || headersLength > total - MinMessageBytes)
        {
            throw new EventStreamFormatException($"impossible lengths (total {total}, headers {headersLength})");
        }

        if (buffer.Length < total)
        {
            return false;
        }

        var frame = buffer.Slice(0, total).ToArray();
        var messageCrc = BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan((int)total - 4));
        if (Crc32.Compute(frame.AsSpan(0, (int)total - 4)) != messageCrc)
        {
            throw new EventStreamFormatException("message checksum mismatch");
        }

        var headers = ReadHeaders(frame.AsSpan(PreludeBytes, (int)headersLength));
        var payloadStart = PreludeBytes + (int)headersLength;
        var payload = frame.AsSpan(payloadStart, (int)total - 4 - payloadStart).ToArray();
        buffer = buffer.Slice(total);
        message = new EventStreamMessage(headers, payload);
        return true;
    }

    private static Dictionary<string, string> ReadHeaders(ReadOnlySpan<byte> span)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var at = 0;
        while (at < span.Length)
        {
            var nameLength = span[at++];
            var name = Encoding.UTF8.GetString(Take(span, ref at, nameLength));
            var type = Take(span, ref at, 1)[0];
            // Value sizes by type: bool true/false (0), byte (1), int16 (2), int32 (4), int64 and timestamp (8), UUID
            // (16); byte arrays and strings carry a u16 length. Only strings are kept: every header the router reads is one.
            switch (type)
            {
                case 0 or 1:
                    break;
                case 2:
                    Take(span, ref at, 1);
                    break;
                case 3:
                    Take(span, ref at, 2);
                    break;
                case 4:
                    Take(span, ref at, 4);
                    break;
                case 5 or 8:
                    Take(span, ref at, 8);
                    break;
                case 9:
                    Take(span, ref at, 16);
                    break;
                case 6 or 7:
                    var length = BinaryPrimitives.ReadUInt16BigEndian(Take(span, ref at, 2));
                    var value = Take(span, ref at, length);
                    if (type == 7)
                    {
                        headers[name] = Encoding.UTF8.GetString(value);
                    }

                    break;
                default:
                    throw new EventStreamFormatException($"unknown header value type {type}");
            }
        }

        return headers;
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> span, ref int at, int count)
    {
        if (count > span.Length - at)
        {
            throw new EventStreamFormatException("a header runs past the headers section");
        }

        var slice = span.Slice(at, count);
        at += count;
        return slice;
    }
}
