using System.Net.Http.Headers;

namespace LlmCost.Aws;

/// <summary>
/// The one way this codebase builds a SigV4-signed HTTP request (plan-time price and catalog APIs, the router's
/// Bedrock, SageMaker and DynamoDB calls): the headers that are signed are the headers that are sent.
/// </summary>
public static class SignedRequests
{
    /// <param name="headers">Headers to sign and send, lower-case names; <c>content-type</c> goes on the content.</param>
    /// <param name="body">Null for a request without a body (a GET).</param>
    /// <param name="credentials">Null: the request is built unsigned (an ECS fleet's own HTTP API).</param>
    public static HttpRequestMessage Create(
        HttpMethod method, Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers, byte[]? body,
        AwsCredentials? credentials, string region, string service, DateTimeOffset now)
    {
        var request = new HttpRequestMessage(method, uri) { Content = body is null ? null : new ByteArrayContent(body) };
        IEnumerable<KeyValuePair<string, string>> toSend = headers;
        if (credentials is not null)
        {
            var signed = SigV4Signer.Sign(new SigningRequest(method.Method, uri, headers, body ?? []), credentials, region, service, now);
            // HttpClient sends the same Host header the signer computed from the URI.
            toSend = headers.Concat(signed.HeadersToAdd.Where(h => !h.Key.Equals("host", StringComparison.OrdinalIgnoreCase)));
        }

        foreach (var (name, value) in toSend)
        {
            if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase) && request.Content is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }
}
