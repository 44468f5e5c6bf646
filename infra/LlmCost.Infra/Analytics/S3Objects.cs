using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using LlmCost.Aws;
using LlmCost.Infra.Pricing.Live;

namespace LlmCost.Infra.Analytics;

/// <summary><c>usage fetch</c> could not do what was asked; the message names the bucket, key, flag or credential at fault.</summary>
internal sealed class UsageFetchException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>One object of a listing: its key, size in bytes and ETag (quotes removed).</summary>
internal sealed record S3Object(string Key, long Size, string ETag);

/// <summary>
/// The two S3 operations <c>usage fetch</c> needs, over REST with SigV4 (service <c>s3</c>): ListObjectsV2, every
/// page (<c>list-type=2</c>, <c>prefix</c>, <c>start-after</c>, <c>continuation-token</c>, <c>max-keys</c>; the
/// answer's <c>Contents</c>, <c>IsTruncated</c> and <c>NextContinuationToken</c>), and GetObject streamed into a file.
/// Buckets are addressed virtual-hosted (<c>https://BUCKET.s3.REGION.amazonaws.com/KEY</c>) unless the endpoint is
/// overridden or the name holds a dot, then path-style (<c>ENDPOINT/BUCKET/KEY</c>). Throttling, 5xx and timeouts are
/// retried with the shared jittered backoff (<see cref="Backoff"/>); any other error stops at once with S3's code and message and what it means here.
/// </summary>
internal sealed class S3Objects(HttpClient http, Func<CancellationToken, Task<AwsCredentials>> credentials, string region, Uri endpoint, bool pathStyle,
    TimeProvider time, RetryPolicy policy)
{
    /// <summary>A download's attempt may take this long: an object can be up to Firehose's 64 MiB buffer and more.</summary>
    public static readonly TimeSpan DownloadAttemptTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The hash S3 expects in <c>x-amz-content-sha256</c> for a request without a body.</summary>
    private const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>
    /// A guard, not a limit anyone meets: at S3's 1,000 keys a page this is a hundred million objects. A server that
    /// pages on past it (or repeats a token) is broken, and the listing stops with an error rather than loop.
    /// </summary>
    private const int MaxListPages = 100_000;

    public IAsyncEnumerable<S3Object> ListAsync(string bucket, string prefix, string? startAfter, int? maxKeys, CancellationToken cancel)
    {
        var operation = $"list s3://{bucket}/{prefix}";
        return Paging.AllAsync(new PagedListing(operation, MaxListPages, m => new UsageFetchException(m)), PageAsync, cancel);

        async Task<Page<S3Object>> PageAsync(string? token, CancellationToken pageCancel)
        {
            var query = new List<(string, string)> { ("list-type", "2"), ("prefix", prefix) };
            if (token is not null)
            {
                query.Add(("continuation-token", token));
            }
            else if (startAfter is not null)
            {
                query.Add(("start-after", startAfter));
            }

            if (maxKeys is { } max)
            {
                query.Add(("max-keys", max.ToString(CultureInfo.InvariantCulture)));
            }

            var uri = Address(bucket, null, query);
            var page = await SendAsync(uri, bucket, operation, policy, async (response, ct) =>
            {
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                return await XDocument.LoadAsync(body, LoadOptions.None, ct);
            }, pageCancel);

            var root = page.Root ?? throw new UsageFetchException($"{operation}: the answer from {uri.Host} is empty XML");
            var objects = new List<S3Object>();
            foreach (var contents in Children(root, "Contents"))
            {
                var key = Child(contents, "Key") ?? throw new UsageFetchException($"{operation}: an object without a Key in the answer");
                var size = long.TryParse(Child(contents, "Size"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s
                    : throw new UsageFetchException($"{operation}: object {key} has no valid Size");
                objects.Add(new S3Object(key, size, (Child(contents, "ETag") ?? "").Trim('"')));
            }

            var truncated = string.Equals(Child(root, "IsTruncated"), "true", StringComparison.OrdinalIgnoreCase);
            var next = truncated
                ? Child(root, "NextContinuationToken") is { Length: > 0 } continuation ? continuation
                    : throw new UsageFetchException($"{operation}: the answer is truncated but carries no NextContinuationToken")
                : null;
            return new Page<S3Object>(objects, next);
        }
    }

    /// <summary>
    /// The object into <paramref name="target"/>, atomically: it is written beside the target under a temporary name,
    /// checked (the listed size, and the MD5 where the ETag is one: objects uploaded whole, not under KMS or a customer key), and moved in place;
    /// a failure leaves no file behind. Returns the bytes written.
    /// </summary>
    public async Task<long> DownloadAsync(string bucket, S3Object item, string target, CancellationToken cancel)
    {
        var directory = Path.GetDirectoryName(target)!;
        var uri = Address(bucket, item.Key, []);
        return await SendAsync(uri, bucket, $"get s3://{bucket}/{item.Key}", policy with { AttemptTimeout = DownloadAttemptTimeout }, async (response, ct) =>
        {
            Directory.CreateDirectory(directory);
            var partial = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
            try
            {
                long written;
                byte[] md5;
                await using (var source = await response.Content.ReadAsStreamAsync(ct))
                await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
                {
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
                    var buffer = new byte[81920];
                    written = 0;
                    int read;
                    while ((read = await source.ReadAsync(buffer, ct)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), ct);
                        written += read;
                    }

                    await file.FlushAsync(ct);
                    md5 = hash.GetHashAndReset();
                }

                if (written != item.Size)
                {
                    throw new IOException($"get s3://{bucket}/{item.Key}: {written} bytes arrived, the listing said {item.Size}");
                }

                // An ETag is the MD5 of the bytes only for an object uploaded whole and not encrypted with KMS or a customer key
                // (the usage bucket's objects are SSE-S3; a --bucket may differ).
                var md5IsETag = item.ETag.Length == 32 && !item.ETag.Contains('-', StringComparison.Ordinal)
                    && !(response.Headers.TryGetValues("x-amz-server-side-encryption", out var sse) && sse.Any(v => v.StartsWith("aws:kms", StringComparison.Ordinal)))
                    && !response.Headers.Contains("x-amz-server-side-encryption-customer-algorithm");
                if (md5IsETag && !Convert.ToHexStringLower(md5).Equals(item.ETag, StringComparison.OrdinalIgnoreCase))
                {
                    throw new IOException($"get s3://{bucket}/{item.Key}: the bytes' MD5 is not the object's ETag {item.ETag}");
                }

                File.Move(partial, target, overwrite: true);
                return written;
            }
            finally
            {
                File.Delete(partial);
            }
        }, cancel);
    }

    /// <summary>Path-style under an override (or for a dotted name, which a wildcard certificate cannot cover), else virtual-hosted.</summary>
    internal Uri Address(string bucket, string? key, IReadOnlyList<(string Name, string Value)> query)
    {
        var keyPath = key is null ? "" : string.Join('/', key.Split('/').Select(SigV4Signer.UriEncode));
        var text = new StringBuilder();
        if (pathStyle || bucket.Contains('.', StringComparison.Ordinal))
        {
            text.Append(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/')).Append('/').Append(SigV4Signer.UriEncode(bucket));
            if (key is not null)
            {
                text.Append('/').Append(keyPath);
            }
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"{endpoint.Scheme}://{bucket}.{endpoint.Authority}/{keyPath}");
        }

        if (query.Count > 0)
        {
            text.Append('?').Append(string.Join('&', query.Select(q => $"{SigV4Signer.UriEncode(q.Name)}={SigV4Signer.UriEncode(q.Value)}")));
        }

        return new Uri(text.ToString());
    }

    private async Task<T> SendAsync<T>(Uri uri, string bucket, string operation, RetryPolicy attempts, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancel)
    {
        Exception? last = null;
        for (var attempt = 1; attempt <= attempts.MaxAttempts; attempt++)
        {
            cancel.ThrowIfCancellationRequested();
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            attemptTimeout.CancelAfter(attempts.AttemptTimeout);
            try
            {
                using var request = SignedRequests.Create(HttpMethod.Get, uri, [new("x-amz-content-sha256", EmptyPayloadHash)], null,
                    await credentials(cancel), region, AwsEndpoints.S3.SigningName, time.GetUtcNow());

                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return await read(response, attemptTimeout.Token);
                }

                var (code, message) = await ErrorAsync(response, attemptTimeout.Token);
                var failure = Explain(bucket, operation, response, code, message);
                if (!Retryable(response.StatusCode, code))
                {
                    throw failure;
                }

                last = failure;
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                last = new UsageFetchException($"{operation}: no answer within {attempts.AttemptTimeout.TotalSeconds:0.#} s");
            }
            catch (HttpRequestException e)
            {
                last = new UsageFetchException($"{operation}: {e.Message}", e);
            }
            catch (IOException e)
            {
                // A download cut short or not matching its listing: worth another try, the object may be fine.
                last = new UsageFetchException(e.Message, e);
            }
            catch (XmlException e)
            {
                throw new UsageFetchException($"{operation}: the answer from {uri.Host} is not S3's XML ({e.Message})", e);
            }

            if (attempt < attempts.MaxAttempts)
            {
                await Task.Delay(attempts.Backoff.After(attempt), time, cancel);
            }
        }

        throw new UsageFetchException($"{operation}: gave up after {attempts.MaxAttempts} attempts; last: {last?.Message}", last);
    }

    /// <summary>S3's error, in words that say what to do about it here.</summary>
    private UsageFetchException Explain(string bucket, string operation, HttpResponseMessage response, string code, string? message)
    {
        var status = (int)response.StatusCode;
        var said = $"{code}{(message is null ? "" : $": {message}")} (HTTP {status})";
        var hint = code switch
        {
            "NoSuchBucket" => $"; bucket {bucket} does not exist here: check --stack (the analytics component must be deployed), or name the bucket with --bucket",
            "AccessDenied" or "AllAccessDisabled" => $"; the credentials may not read it: they need s3:ListBucket on arn:aws:s3:::{bucket} and s3:GetObject on its records/ prefix",
            "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" => "; check the AWS credentials (access key, secret, session token)",
            "PermanentRedirect" or "AuthorizationHeaderMalformed" when response.Headers.TryGetValues("x-amz-bucket-region", out var regions) =>
                $"; the bucket is in {regions.First()}, not {region} (the stack's aws:region)",
            _ => "",
        };
        return new UsageFetchException($"{operation}: {said}{hint}");
    }

    private static bool Retryable(HttpStatusCode status, string code) =>
        (int)status >= 500 || status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout
        || code is "SlowDown" or "RequestTimeout" or "InternalError" or "ServiceUnavailable";

    /// <summary>S3's XML error body: <c>&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;</c>; a HEAD-like empty body has only the status.</summary>
    private static async Task<(string Code, string? Message)> ErrorAsync(HttpResponseMessage response, CancellationToken cancel)
    {
        var text = await response.Content.ReadAsStringAsync(cancel);
        try
        {
            var root = XDocument.Parse(text).Root;
            if (root is not null && Child(root, "Code") is { } code)
            {
                var message = Child(root, "Message");
                return (code, message is null ? null : Sanitize(message));
            }
        }
        catch (XmlException)
        {
            // Not XML (a proxy's page, an empty body): the status alone says it.
        }

        return (response.StatusCode.ToString(), null);
    }

    /// <summary>Keep S3's message to its first line, short, and never one that quotes the signed request.</summary>
    private static string Sanitize(string message)
    {
        var line = message.Split('\n')[0].Trim();
        if (line.Contains("security-token", StringComparison.OrdinalIgnoreCase) || line.Contains("canonical", StringComparison.OrdinalIgnoreCase))
        {
            return "(message withheld: it quotes the signed request)";
        }

        return line.Length > 200 ? line[..200] + "..." : line;
    }

    private static IEnumerable<XElement> Children(XElement parent, string name) => parent.Elements().Where(e => e.Name.LocalName == name);

    private static string? Child(XElement parent, string name) => Children(parent, name).FirstOrDefault()?.Value;
}
