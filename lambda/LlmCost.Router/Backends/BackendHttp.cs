using System.Net;
using System.Net.Http.Headers;
using LlmCost.Aws;

namespace LlmCost.Router.Backends;

/// <summary>What came back over HTTP, read whole (answers are small: one non-streamed completion).</summary>
internal sealed record HttpReply(HttpStatusCode Status, HttpResponseHeaders Headers, byte[] Body);

/// <summary>POSTs a JSON body, SigV4-signed when a signing name is given, and maps transport failures to <see cref="BackendException"/>.</summary>
internal static class BackendHttp
{
    /// <summary>
    /// A whole non-streamed answer: 4 MiB is far above any completion the routes allow (maxOutputTokens is at most tens
    /// of thousands of tokens) and keeps the OpenAI response under Lambda's 6 MB response limit in all but pathological
    /// cases, which the handler checks separately.
    /// </summary>
    public const int MaxAnswerBytes = 4 * 1024 * 1024;

    /// <summary>An error body is read for its code and a clip of its message only.</summary>
    public const int MaxErrorBytes = 64 * 1024;

    public static async Task<HttpReply> PostJsonAsync(
        HttpClient http, Uri uri, byte[] body, SigV4Signing? signing, TimeProvider time, CancellationToken cancellationToken)
    {
        using var request = BuildRequest(uri, body, signing, "application/json", time);
        try
        {
            // Headers first, then the body read with a limit: a backend cannot make the router hold more than that.
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var limit = response.IsSuccessStatusCode ? MaxAnswerBytes : MaxErrorBytes;
            if (response.IsSuccessStatusCode && response.Content.Headers.ContentLength > limit)
            {
                throw TooLarge(uri);
            }

            var (bytes, complete) = await ReadAtMostAsync(response.Content, limit, cancellationToken);
            if (!complete && response.IsSuccessStatusCode)
            {
                throw TooLarge(uri);
            }

            // An error body cut at the limit is still read for its code; its text is never used beyond a clip.
            return new HttpReply(response.StatusCode, response.Headers, bytes);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new BackendException(FailureKind.Connection, "connection_failed", $"could not reach {uri.Host}:{uri.Port}: {e.Message}", inner: e);
        }
    }

    /// <summary>
    /// A streamed answer: the response once its headers are in, body unread, for the caller to read as it arrives and
    /// dispose. A non-2xx answer is read (bounded) and returned as an <see cref="HttpReply"/> instead.
    /// </summary>
    public static async Task<(HttpResponseMessage? Open, HttpReply? Error)> OpenAsync(
        HttpClient http, Uri uri, byte[] body, SigV4Signing? signing, string accept, TimeProvider time, CancellationToken cancellationToken)
    {
        using var request = BuildRequest(uri, body, signing, accept, time);
        HttpResponseMessage? response = null;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return (response, null);
            }

            using (response)
            {
                var (bytes, _) = await ReadAtMostAsync(response.Content, MaxErrorBytes, cancellationToken);
                return (null, new HttpReply(response.StatusCode, response.Headers, bytes));
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            response?.Dispose();
            throw new BackendException(FailureKind.Connection, "connection_failed", $"could not reach {uri.Host}:{uri.Port}: {e.Message}", inner: e);
        }
    }

    private static HttpRequestMessage BuildRequest(Uri uri, byte[] body, SigV4Signing? signing, string accept, TimeProvider time)
    {
        var request = SignedRequests.Create(
            HttpMethod.Post, uri, [new("content-type", "application/json")], body, signing?.Credentials, signing?.Region ?? "", signing?.Service ?? "", time.GetUtcNow());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return request;
    }

    private static BackendException TooLarge(Uri uri) =>
        new(FailureKind.Malformed, "answer_too_large", $"{uri.Host}: the answer is over {MaxAnswerBytes} bytes", reason: FailureReasons.AnswerTooLarge);

    private static async Task<(byte[] Bytes, bool Complete)> ReadAtMostAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Math.Min(limit + 1, 81_920)];
        using var collected = new MemoryStream();
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return (collected.ToArray(), true);
            }

            var room = limit - (int)collected.Length;
            if (read > room)
            {
                collected.Write(buffer, 0, room);
                return (collected.ToArray(), false);
            }

            collected.Write(buffer, 0, read);
        }
    }
}

/// <summary>How to sign: credentials, region and the service's signing name (<c>bedrock</c>, <c>sagemaker</c>).</summary>
internal sealed record SigV4Signing(AwsCredentials Credentials, string Region, string Service);
