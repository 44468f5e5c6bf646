using System.Text;

namespace LlmCost.Aws.Tests;

/// <summary>
/// The official SigV4 test suite (2015-08-30 vectors: host example.amazonaws.com, region us-east-1, service
/// "service", key AKIDEXAMPLE) and AWS's documented IAM example. A signer that passes these derives keys,
/// canonicalizes and signs as AWS does.
/// </summary>
public sealed class SigV4SignerTests
{
    private static readonly AwsCredentials Example = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTimeOffset At = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static SignedRequest Suite(string method, string url, string body = "", params (string, string)[] headers) =>
        SigV4Signer.Sign(
            new SigningRequest(method, new Uri(url), headers.Select(h => new KeyValuePair<string, string>(h.Item1, h.Item2)).ToList(), Encoding.UTF8.GetBytes(body)),
            Example, "us-east-1", "service", At);

    [Fact]
    public void SigningKey_MatchesPublishedDerivation()
    {
        SigV4Signer.Hex(SigV4Signer.SigningKey(Example.SecretAccessKey, "20150830", "us-east-1", "service"))
            .Should().Be("938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75");
    }

    [Fact]
    public void GetVanilla_CanonicalRequestStringToSignAndSignature()
    {
        var signed = Suite("GET", "https://example.amazonaws.com/");

        signed.CanonicalRequest.Should().Be($"GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{EmptyHash}");
        signed.StringToSign.Should().Be("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
        signed.Authorization.Should().Be("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    [Fact]
    public void GetVanillaQueryOrderKeyCase_SortsQuery()
    {
        Suite("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1").Signature
            .Should().Be("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }

    [Fact]
    public void PostVanilla_EmptyBody()
    {
        Suite("POST", "https://example.amazonaws.com/").Signature
            .Should().Be("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
    }

    [Fact]
    public void GetUtf8_CanonicalPathEncodesUtf8Bytes()
    {
        // The suite's request line carries the raw character; its canonical request has it encoded once. (On the
        // wire HttpClient sends it already encoded, and AWS encodes that again, as the Bedrock case below shows.)
        SigV4Signer.CanonicalPath("/\u1234").Should().Be("/%E1%88%B4");
    }

    [Fact]
    public void SessionToken_IsSignedAsSecurityTokenHeader()
    {
        var signed = SigV4Signer.Sign(
            new SigningRequest("GET", new Uri("https://example.amazonaws.com/"), [], ReadOnlyMemory<byte>.Empty),
            Example with { SessionToken = "token" }, "us-east-1", "service", At);

        signed.HeadersToAdd.Should().Contain(new KeyValuePair<string, string>("x-amz-security-token", "token"));
        signed.Authorization.Should().Contain("SignedHeaders=host;x-amz-date;x-amz-security-token,");
    }

    [Fact]
    public void BedrockModelIdInPath_IsEncodedTwiceInCanonicalForm()
    {
        var signed = SigV4Signer.Sign(
            new SigningRequest("POST", new Uri("https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-lite-v1%3A0/converse"), [], "{}"u8.ToArray()),
            Example, "us-east-1", "bedrock", At);

        signed.CanonicalRequest.Split('\n')[1].Should().Be("/model/us.amazon.nova-lite-v1%253A0/converse");
    }

    [Fact]
    public void Credentials_ToString_HidesTheSecret()
    {
        Example.ToString().Should().NotContain("wJalr").And.NotContain("AKIDEXAMPLE");
    }
}
