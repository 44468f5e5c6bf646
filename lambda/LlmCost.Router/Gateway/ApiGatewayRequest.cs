using System.Text;
using System.Text.Json;

namespace LlmCost.Router.Gateway;

/// <summary>
/// The parts of an API Gateway REST API (payload format 1.0) Lambda proxy event the router uses. The caller's app is
/// the Cognito user-pool authorizer's <c>client_id</c> claim; header names keep the client's casing, so lookups ignore case.
/// </summary>
internal sealed record ApiGatewayRequest(
    string HttpMethod,
    string Path,
    string? Resource,
    IReadOnlyDictionary<string, string> Headers,
    ReadOnlyMemory<byte> Body,
    string? RequestId,
    string? ClientId)
{
    /// <summary>Parses the event; a body that claims base64 and is not becomes a <see cref="FormatException"/> the handler answers with 400.</summary>
    public static ApiGatewayRequest Parse(ReadOnlyMemory<byte> eventJson)
    {
        using var document = JsonDocument.Parse(eventJson);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("httpMethod", out var method) || method.ValueKind != JsonValueKind.String)
        {
            throw new NotAProxyEventException("the event is not an API Gateway REST proxy event (no httpMethod)");
        }

        var resource = String(root, "resource");
        var path = String(root, "path") ?? resource ?? "/";

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in h.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
            {
                headers[header.Name] = header.Value.GetString()!;
            }
        }

        var body = ReadOnlyMemory<byte>.Empty;
        BodyFormatException? bodyProblem = null;
        if (root.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String)
        {
            var text = b.GetString()!;
            var isBase64 = root.TryGetProperty("isBase64Encoded", out var flag) && flag.ValueKind == JsonValueKind.True;
            if (isBase64)
            {
                try
                {
                    body = Convert.FromBase64String(text);
                }
                catch (FormatException)
                {
                    bodyProblem = new BodyFormatException("body: isBase64Encoded is true but the body is not valid base64");
                }
            }
            else
            {
                body = Encoding.UTF8.GetBytes(text);
            }
        }

        string? requestId = null;
        string? clientId = null;
        if (root.TryGetProperty("requestContext", out var context) && context.ValueKind == JsonValueKind.Object)
        {
            requestId = String(context, "requestId");
            if (context.TryGetProperty("authorizer", out var authorizer) && authorizer.ValueKind == JsonValueKind.Object
                && authorizer.TryGetProperty("claims", out var claims) && claims.ValueKind == JsonValueKind.Object)
            {
                clientId = String(claims, "client_id");
            }
        }

        var request = new ApiGatewayRequest(method.GetString()!, path, resource, headers, body, requestId, clientId);
        return bodyProblem is null ? request : throw new BodyFormatException(bodyProblem.Message, request);
    }

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

internal sealed class NotAProxyEventException(string message) : Exception(message);

/// <summary>The event is fine but its body cannot be decoded; carries what was parsed so the record still has the request ID and app.</summary>
internal sealed class BodyFormatException(string message, ApiGatewayRequest? request = null) : Exception(message)
{
    public ApiGatewayRequest? Request { get; } = request;
}
