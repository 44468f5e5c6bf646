using System.Buffers;
using System.Text;
using LlmCost.Router.Streaming;
using SdkStream = Amazon.Runtime.EventStreams;

namespace LlmCost.Router.Tests;

/// <summary>
/// The event-stream decoder against an independent encoder (AWSSDK.Core's, the one the AWS SDK for .NET ships):
/// headers and payload come back, frames split anywhere are reassembled, and a broken checksum is refused.
/// </summary>
public sealed class EventStreamDecoderTests
{
    private static byte[] Encode(string eventType, string payload)
    {
        var headers = new List<SdkStream.IEventStreamHeader>();
        void Add(string name, string value)
        {
            var header = new SdkStream.EventStreamHeader(name);
            header.SetString(value);
            headers.Add(header);
        }

        Add(":event-type", eventType);
        Add(":content-type", "application/json");
        Add(":message-type", "event");
        var number = new SdkStream.EventStreamHeader("x-count");
        number.SetInt32(7);
        headers.Add(number);
        return new SdkStream.EventStreamMessage(headers, Encoding.UTF8.GetBytes(payload)).ToByteArray();
    }

    [Fact]
    public void Crc32_StandardCheckValue()
    {
        // The catalogue's check value for CRC-32/ISO-HDLC over the ASCII digits 1-9.
        Crc32.Compute("123456789"u8).Should().Be(0xCBF43926u);
    }

    [Fact]
    public void TryRead_FrameFromTheAwsSdk_HeadersAndPayload()
    {
        var buffer = new ReadOnlySequence<byte>(Encode("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hel"}}"""));

        EventStreamDecoder.TryRead(ref buffer, out var message).Should().BeTrue();

        message!.Header(":event-type").Should().Be("contentBlockDelta");
        message.Header(":message-type").Should().Be("event");
        message.Headers.Should().NotContainKey("x-count", "only string headers are kept");
        Encoding.UTF8.GetString(message.Payload).Should().Be("""{"contentBlockIndex":0,"delta":{"text":"Hel"}}""");
        buffer.Length.Should().Be(0);
    }

    [Fact]
    public void TryRead_TwoFramesArrivingAByteAtATime_BothInOrder()
    {
        var bytes = Encode("messageStart", """{"role":"assistant"}""").Concat(Encode("messageStop", """{"stopReason":"end_turn"}""")).ToArray();
        var received = new List<byte>();
        var events = new List<string>();

        foreach (var b in bytes)
        {
            received.Add(b);
            var buffer = new ReadOnlySequence<byte>(received.ToArray());
            while (EventStreamDecoder.TryRead(ref buffer, out var message))
            {
                events.Add(message!.Header(":event-type")!);
            }

            received = buffer.ToArray().ToList();
        }

        events.Should().Equal("messageStart", "messageStop");
        received.Should().BeEmpty();
    }

    [Fact]
    public void TryRead_PayloadByteFlipped_MessageChecksumRefused()
    {
        var bytes = Encode("contentBlockDelta", """{"delta":{"text":"x"}}""");
        bytes[^6] ^= 0x01;
        var buffer = new ReadOnlySequence<byte>(bytes);

        var read = () => EventStreamDecoder.TryRead(ref buffer, out _);

        read.Should().Throw<EventStreamFormatException>().WithMessage("message checksum mismatch");
    }

    [Fact]
    public void TryRead_LengthByteFlipped_PreludeChecksumRefused()
    {
        var bytes = Encode("contentBlockDelta", """{"delta":{"text":"x"}}""");
        bytes[2] ^= 0x01;
        var buffer = new ReadOnlySequence<byte>(bytes);

        var read = () => EventStreamDecoder.TryRead(ref buffer, out _);

        read.Should().Throw<EventStreamFormatException>().WithMessage("prelude checksum mismatch");
    }

    [Fact]
    public void TryRead_HugeDeclaredLength_RefusedBeforeBuffering()
    {
        // A prelude that checks out but declares 16 MiB: 0x01000000 total, 0 headers, then its CRC.
        var prelude = new byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prelude, 0x01000000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(8), Crc32.Compute(prelude.AsSpan(0, 8)));
        var buffer = new ReadOnlySequence<byte>(prelude);

        var read = () => EventStreamDecoder.TryRead(ref buffer, out _);

        read.Should().Throw<EventStreamFormatException>().WithMessage("impossible lengths (total 16777216, headers 0)");
    }

    [Fact]
    public void TryRead_PartialFrame_WaitsForMore()
    {
        var bytes = Encode("messageStop", """{"stopReason":"end_turn"}""");
        var buffer = new ReadOnlySequence<byte>(bytes.AsMemory(0, bytes.Length - 1));

        EventStreamDecoder.TryRead(ref buffer, out var message).Should().BeFalse();
        message.Should().BeNull();
        buffer.Length.Should().Be(bytes.Length - 1, "nothing is consumed until a frame is whole");
    }
}
