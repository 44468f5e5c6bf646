using System.Buffers;
using System.Text;
using System.Text.Json;

namespace LlmCost.Router.Gateway;

/// <summary>A proxy integration response. Errors are normal responses with a 4xx/5xx status: a function error would become a bare 502.</summary>
internal sealed record ApiGatewayResponse(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
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

    public static ApiGatewayResponse Json(int status, byte[] body, IEnumerable<KeyValuePair<string, string>> headers) =>
        new(status, [new("Content-Type", "application/json"), .. headers], Encoding.UTF8.GetString(body));
}
