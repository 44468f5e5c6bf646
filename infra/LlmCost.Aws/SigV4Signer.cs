using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LlmCost.Aws;

/// <summary>One HTTP request to sign: method, absolute URI, headers (any case) and body.</summary>
public sealed record SigningRequest(string Method, Uri Uri, IReadOnlyList<KeyValuePair<string, string>> Headers, ReadOnlyMemory<byte> Body);

/// <summary>What signing adds: the headers to send, and the intermediate strings (for tests and debugging).</summary>
public sealed record SignedRequest(
    IReadOnlyList<KeyValuePair<string, string>> HeadersToAdd,
    string CanonicalRequest,
    string StringToSign,
    string Signature,
    string Authorization);

/// <summary>
/// AWS Signature Version 4 for headers (not presigned URLs), written by hand because the AWS SDK's service packages
/// are not available to us; tested against the official SigV4 test-suite vectors and S3's documented examples. For
/// the signing service <c>s3</c> the path is encoded once as S3 requires (no second encoding, no normalization) and the
/// payload hash is sent and signed as <c>x-amz-content-sha256</c>.
/// </summary>
public static class SigV4Signer
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    public static SignedRequest Sign(SigningRequest request, AwsCredentials credentials, string region, string service, DateTimeOffset at)
    {
        var amzDate = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var payloadHash = Hex(SHA256.HashData(request.Body.Span));

        var headers = new List<KeyValuePair<string, string>>(request.Headers);
        var added = new List<KeyValuePair<string, string>>();
        void AddIfMissing(string name, string value)
        {
            if (!headers.Any(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                headers.Add(new(name, value));
                added.Add(new(name, value));
            }
        }

        AddIfMissing("host", request.Uri.IsDefaultPort ? request.Uri.Host : $"{request.Uri.Host}:{request.Uri.Port}");
        AddIfMissing("x-amz-date", amzDate);
        if (IsS3(service))
        {
            AddIfMissing("x-amz-content-sha256", payloadHash);
        }

        if (credentials.SessionToken is not null)
        {
            AddIfMissing("x-amz-security-token", credentials.SessionToken);
        }

        // Headers with the same name are joined with commas; values are trimmed and inner runs of spaces collapsed.
        var canonicalHeaders = headers
            .GroupBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(",", g.Select(h => CollapseSpaces(h.Value.Trim())))))
            .ToList();
        var signedHeaders = string.Join(";", canonicalHeaders.Select(h => h.Name));

        var canonicalRequest = string.Join('\n',
            request.Method.ToUpperInvariant(),
            IsS3(service) ? S3CanonicalPath(request.Uri.AbsolutePath) : CanonicalPath(request.Uri.AbsolutePath),
            CanonicalQuery(request.Uri.Query),
            string.Concat(canonicalHeaders.Select(h => $"{h.Name}:{h.Value}\n")),
            signedHeaders,
            payloadHash);

        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n', Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var signature = Hex(HMACSHA256.HashData(SigningKey(credentials.SecretAccessKey, date, region, service), Encoding.UTF8.GetBytes(stringToSign)));
        var authorization = $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        added.Add(new("Authorization", authorization));
        return new SignedRequest(added, canonicalRequest, stringToSign, signature, authorization);
    }

    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    /// <summary>
    /// The path as sent is already percent-encoded (a Bedrock model ID's <c>:</c> is <c>%3A</c>); every service but
    /// S3 encodes it once more for the canonical form, so <c>%3A</c> becomes <c>%253A</c>.
    /// </summary>
    public static string CanonicalPath(string absolutePath)
    {
        if (absolutePath.Length == 0)
        {
            return "/";
        }

        var segments = absolutePath.Split('/').Select(segment => UriEncode(segment));
        return string.Join('/', segments);
    }

    /// <summary>
    /// S3's canonical path: the object key encoded once. The path as sent is already percent-encoded (a key's <c>=</c>
    /// is <c>%3D</c>), so each segment is decoded and encoded again by SigV4's rule, which keeps <c>%3D</c> as it is.
    /// </summary>
    public static string S3CanonicalPath(string absolutePath) =>
        absolutePath.Length == 0 ? "/" : string.Join('/', absolutePath.Split('/').Select(segment => UriEncode(Uri.UnescapeDataString(segment))));

    private static bool IsS3(string service) => service.Equals("s3", StringComparison.Ordinal);

    public static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query) || query == "?")
        {
            return "";
        }

        return string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=');
                var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
                var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
                return (Name: UriEncode(name), Value: UriEncode(value));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
    }

    /// <summary>RFC 3986 encoding as SigV4 defines it: everything but <c>A-Z a-z 0-9 - _ . ~</c>, upper-case hex.</summary>
    public static string UriEncode(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private static string CollapseSpaces(string value)
    {
        if (!value.Contains("  ", StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        var previousSpace = false;
        foreach (var c in value)
        {
            if (c == ' ' && previousSpace)
            {
                continue;
            }

            previousSpace = c == ' ';
            builder.Append(c);
        }

        return builder.ToString();
    }
}
