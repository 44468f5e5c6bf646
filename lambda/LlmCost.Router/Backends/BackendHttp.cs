using System.Net;
using System.Net.Http.Headers;
using LlmCost.Aws;

namespace LlmCost.Router.Backends;

/// <summary>What came back over HTTP, read whole (answers are small: one non-streamed completion).</summary>
internal sealed record HttpReply(HttpStatusCode Status, HttpResponseHeaders Headers, byte[] Body);

/// <summary>POSTs a JSON body, SigV4-signed when a signing name is given, and maps transport failures to <see cref="BackendException"/>.</summary>
internal static class BackendHttp
{
    public static async Task<HttpReply> PostJsonAsync(
        HttpClient http, Uri uri, byte[] body, SigV4Signing? signing, TimeProvider time, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (signing is not null)
        {
            var signed = SigV4Signer.Sign(
                new SigningRequest("POST", uri, [new("content-type", "application/json")], body),
                signing.Credentials, signing.Region, signing.Service, time.GetUtcNow());
            foreach (var (name, value) in signed.HeadersToAdd)
            {
                // HttpClient sends the same Host header the signer computed from the URI.
                if (!name.Equals("host", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new HttpReply(response.StatusCode, response.Headers, bytes);
        }
        catch (HttpRequestException e)
        {
            throw new BackendException(FailureKind.Connection, "connection_failed", $"could not reach {uri.Host}:{uri.Port}: {e.Message}", inner: e);
        }
    }
}

/// <summary>How to sign: credentials, region and the service's signing name (<c>bedrock</c>, <c>sagemaker</c>).</summary>
internal sealed record SigV4Signing(AwsCredentials Credentials, string Region, string Service);
