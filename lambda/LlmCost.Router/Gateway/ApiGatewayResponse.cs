using System.Buffers;
using System.Text;
using System.Text.Json;

namespace LlmCost.Router.Gateway;

/// <summary>A proxy integration response. Errors are normal responses with a 4xx/5xx status: a function error would become a bare 502.</summary>
internal sealed record ApiGatewayResponse(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    /// <summary>Lambda's limit on a synchronous invocation's response payload (6 MB).</summary>
    public const int MaxLambdaResponseBytes = 6_291_456;

    /// <summary>
    /// Whether the proxy response, as the runtime loop will send it, is within <see cref="MaxLambdaResponseBytes"/>.
    /// Serializes only when the body could be near the limit (JSON escaping can grow it up to sixfold).
    /// </summary>
    /// <summary>What the handler returns when it already sent the answer through the invocation's response stream.</summary>
    public static readonly ApiGatewayResponse Streamed = new(0, [], "");

    public bool FitsLambdaResponse() => Body.Length * 6L + 4096 < MaxLambdaResponseBytes || ToJson().Length <= MaxLambdaResponseBytes;

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(Body.Length + 512);
        using (var writer = new Utf8JsonWriter(buffer, Handling.JsonOptions.Writer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("statusCode", StatusCode);
            writer.WriteStartObject("headers");
            foreach (var (name, value) in Headers)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
            writer.WriteString("body", Body);
            writer.WriteBoolean("isBase64Encoded", false);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Server-sent events; no caching by the gateway or proxies in between.</summary>
    public static ApiGatewayResponse EventStream(int status, byte[] body, IEnumerable<KeyValuePair<string, string>> headers) =>
        new(status, [new("Content-Type", "text/event-stream"), new("Cache-Control", "no-cache"), .. headers], Encoding.UTF8.GetString(body));

    public static ApiGatewayResponse Json(int status, byte[] body, IEnumerable<KeyValuePair<string, string>> headers) =>
        new(status, [new("Content-Type", "application/json"), .. headers], Encoding.UTF8.GetString(body));
}
