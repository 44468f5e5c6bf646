using System.Globalization;
using System.Text.RegularExpressions;
using LlmCost.Aws;

namespace LlmCost.Router.Tests.Servers;

/// <summary>
/// What an AWS front end does with a signed request: read the scope and signed headers from Authorization, rebuild
/// the canonical request from what arrived (the raw, percent-encoded path included) and compare signatures.
/// </summary>
internal static partial class SignatureCheck
{
    public static (string Service, string Region, bool Valid) Verify(ReceivedRequest request, string secretKey)
    {
        var match = AuthorizationPattern().Match(request.Headers["Authorization"]);
        match.Success.Should().BeTrue("the request carries a SigV4 Authorization header");
        var (keyId, date, region, service) = (match.Groups["key"].Value, match.Groups["date"].Value, match.Groups["region"].Value, match.Groups["service"].Value);
        var signedHeaders = match.Groups["signed"].Value.Split(';');
        var headers = signedHeaders.Select(name => new KeyValuePair<string, string>(name, request.Headers[name])).ToList();
        var at = DateTimeOffset.ParseExact(request.Headers["x-amz-date"], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var uri = new Uri($"http://{request.Headers["host"]}{request.RawTarget}");
        var expected = SigV4Signer.Sign(new SigningRequest(request.Method, uri, headers, request.Body), new AwsCredentials(keyId, secretKey), region, service, at);
        date.Should().Be(request.Headers["x-amz-date"][..8]);
        return (service, region, expected.Signature == match.Groups["signature"].Value);
    }

    [GeneratedRegex("^AWS4-HMAC-SHA256 Credential=(?<key>[^/]+)/(?<date>\\d{8})/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request, SignedHeaders=(?<signed>[^,]+), Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();
}
