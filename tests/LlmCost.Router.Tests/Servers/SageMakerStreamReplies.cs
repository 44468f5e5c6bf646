using System.Buffers.Binary;
using System.Text;
using Microsoft.AspNetCore.Http;
using static LlmCost.Router.Tests.Servers.ConverseStreamReplies;

namespace LlmCost.Router.Tests.Servers;

/// <summary>
/// SageMaker Runtime InvokeEndpointWithResponseStream answers, framed here from the documented event-stream format
/// (prelude: total length and headers length as big-endian u32, CRC-32 of those 8 bytes; headers: name length u8,
/// name, value type 7 = string, value length u16, value; payload; CRC-32 of everything before it), with a CRC-32 of
/// its own (IEEE 802.3, reflected, polynomial 0xEDB88320), independent of the router's. Events as SageMaker sends them:
/// <c>PayloadPart</c> (<c>:content-type</c> application/octet-stream, the container's bytes as the payload), and the
/// <c>ModelStreamError</c> / <c>InternalStreamFailure</c> exceptions (application/json, <c>Message</c> and
/// <c>ErrorCode</c>). The container's stream is TGI's chat completion as server-sent events.
/// </summary>
internal static class SageMakerStreamReplies
{
    public static Frame Part(string containerBytes) => Part(Encoding.UTF8.GetBytes(containerBytes));

    public static Frame Part(byte[] containerBytes) =>
        new(Frame([(":event-type", "PayloadPart"), (":content-type", "application/octet-stream"), (":message-type", "event")], containerBytes));

    /// <summary><paramref name="text"/> as PayloadParts cut every <paramref name="every"/> bytes (inside lines and characters).</summary>
    public static IEnumerable<Step> Parts(string text, int every)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var at = 0; at < bytes.Length; at += every)
        {
            yield return Part(bytes[at..Math.Min(bytes.Length, at + every)]);
        }
    }

    public static Frame ModelStreamError(string errorCode, string message) => StreamException("ModelStreamError", $$$"""{"Message":{{{Quote(message)}}},"ErrorCode":"{{{errorCode}}}"}""");

    public static Frame InternalStreamFailure(string message) => StreamException("InternalStreamFailure", $$$"""{"Message":{{{Quote(message)}}}}""");

    /// <summary>One TGI chat-completion chunk (TGI writes <c>data:</c> without a space, the role on every delta).</summary>
    public static string Chunk(string content, string? finish = null) =>
        $$$"""data:{"object":"chat.completion.chunk","id":"","created":1767225600,"model":"meta-llama/Llama-3.1-8B-Instruct","system_fingerprint":"3.0.1-native","choices":[{"index":0,"delta":{"role":"assistant","content":{{{Quote(content)}}}},"logprobs":null,"finish_reason":{{{(finish is null ? "null" : Quote(finish))}}}}],"usage":null}""" + "\n\n";

    /// <summary>TGI's usage chunk (with <c>stream_options.include_usage</c>): from its details, input length and generated tokens.</summary>
    public static string UsageChunk(long prompt, long completion) =>
        $$$"""data:{"object":"chat.completion.chunk","id":"","created":1767225600,"model":"meta-llama/Llama-3.1-8B-Instruct","system_fingerprint":"3.0.1-native","choices":[],"usage":{"prompt_tokens":{{{prompt}}},"completion_tokens":{{{completion}}},"total_tokens":{{{prompt + completion}}}}}""" + "\n\n";

    public const string Done = "data: [DONE]\n\n";

    /// <summary>A 200 InvokeEndpointWithResponseStream answer writing the steps (frames flushed one by one, holds, a drop).</summary>
    public static Reply ResponseStream(params Step[] steps)
    {
        var write = ConverseStreamReplies.Stream(steps);
        return (request, context) =>
        {
            context.Response.Headers["X-Amzn-SageMaker-Content-Type"] = "text/event-stream";
            context.Response.Headers["x-Amzn-Invoked-Production-Variant"] = "AllTraffic";
            return write(request, context);
        };
    }

    public static byte[] Frame(IReadOnlyList<(string Name, string Value)> headers, byte[] payload)
    {
        using var headerBytes = new MemoryStream();
        foreach (var (name, value) in headers)
        {
            var n = Encoding.UTF8.GetBytes(name);
            var v = Encoding.UTF8.GetBytes(value);
            headerBytes.WriteByte((byte)n.Length);
            headerBytes.Write(n);
            headerBytes.WriteByte(7);
            headerBytes.WriteByte((byte)(v.Length >> 8));
            headerBytes.WriteByte((byte)v.Length);
            headerBytes.Write(v);
        }

        var h = headerBytes.ToArray();
        var total = 12 + h.Length + payload.Length + 4;
        var frame = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)h.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), Crc32(frame.AsSpan(0, 8)));
        h.CopyTo(frame, 12);
        payload.CopyTo(frame, 12 + h.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(total - 4), Crc32(frame.AsSpan(0, total - 4)));
        return frame;
    }

    /// <summary>CRC-32 bit by bit, as the polynomial defines it (slow and plain: a second implementation, not a copy).</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static Frame StreamException(string type, string json) =>
        new(Frame([(":exception-type", type), (":content-type", "application/json"), (":message-type", "exception")], Encoding.UTF8.GetBytes(json)));

    /// <summary>As serde_json writes it: non-ASCII text as raw UTF-8, not escaped.</summary>
    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text,
        new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
