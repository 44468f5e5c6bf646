using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace LlmCost.Router.Backends;

/// <summary>Reads an AWS JSON-protocol error: the code from <c>x-amzn-ErrorType</c> (else the body's <c>__type</c>/<c>code</c>), the message from <c>message</c>/<c>Message</c>.</summary>
internal static class AwsErrors
{
    public static (string Code, string Message, JsonElement? Body) Read(HttpResponseHeaders headers, byte[] body)
    {
        string? code = null;
        if (headers.TryGetValues("x-amzn-ErrorType", out var values))
        {
            code = Normalize(values.First());
        }

        string? message = null;
        JsonElement? parsed = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            parsed = document.RootElement.Clone();
            var root = parsed.Value;
            if (root.ValueKind == JsonValueKind.Object)
            {
                message = Text(root, "message") ?? Text(root, "Message");
                code ??= Text(root, "__type") is { } type ? Normalize(type) : Text(root, "code");
            }
        }
        catch (JsonException)
        {
            // A proxy or load balancer in front may answer in HTML; the status still tells what happened.
        }

        return (code ?? "", message ?? "", parsed);
    }

    /// <summary><c>ThrottlingException:http://internal.amazon.com/…</c> and <c>aws.protocol#ThrottlingException</c> are both ThrottlingException.</summary>
    public static string Normalize(string raw)
    {
        var code = raw;
        var colon = code.IndexOf(':');
        if (colon >= 0)
        {
            code = code[..colon];
        }

        var hash = code.LastIndexOf('#');
        return hash >= 0 ? code[(hash + 1)..] : code;
    }

    public static TimeSpan? RetryAfter(HttpResponseHeaders headers)
    {
        if (headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }

        // A server's header is not trusted to be sane: finite, and at most a minute.
        return headers.TryGetValues("retry-after-ms", out var ms) && double.TryParse(ms.First(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis)
               && double.IsFinite(millis) && millis >= 0
            ? TimeSpan.FromMilliseconds(Math.Min(millis, 60_000))
            : null;
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
