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

    /// <summary>S3's documented examples ("Signature Calculations for the Authorization Header: Transferring Payload in a Single Chunk"): examplebucket, 2013-05-24.</summary>
    private static readonly AwsCredentials S3Example = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    private static SignedRequest S3(string url, params (string, string)[] headers) =>
        SigV4Signer.Sign(
            new SigningRequest("GET", new Uri(url), headers.Select(h => new KeyValuePair<string, string>(h.Item1, h.Item2)).ToList(), ReadOnlyMemory<byte>.Empty),
            S3Example, "us-east-1", "s3", new DateTimeOffset(2013, 5, 24, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void S3GetObject_DocumentedExample_SignsTheContentHashAndRange()
    {
        var signed = S3("https://examplebucket.s3.amazonaws.com/test.txt", ("Range", "bytes=0-9"));

        signed.HeadersToAdd.Should().Contain(new KeyValuePair<string, string>("x-amz-content-sha256", EmptyHash));
        signed.CanonicalRequest.Should().Be(
            $"GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:{EmptyHash}\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n{EmptyHash}");
        signed.StringToSign.Should().Be("AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
        signed.Signature.Should().Be("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    [Fact]
    public void S3ListObjects_DocumentedExample()
    {
        S3("https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J").Signature
            .Should().Be("34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
    }

    [Fact]
    public void S3Key_IsEncodedOnceInCanonicalForm()
    {
        // The documented PUT example's key test$file.text is /test%24file.text; a partition key's = stays %3D (not %253D).
        SigV4Signer.S3CanonicalPath(new Uri("https://examplebucket.s3.amazonaws.com/test$file.text").AbsolutePath).Should().Be("/test%24file.text");
        S3("http://127.0.0.1:4568/bucket/records/dt%3D2026-11-02/llm-cost-dev-usage-1").CanonicalRequest.Split('\n')[1]
            .Should().Be("/bucket/records/dt%3D2026-11-02/llm-cost-dev-usage-1");
    }

    [Fact]
    public void Credentials_ToString_HidesTheSecret()
    {
        Example.ToString().Should().NotContain("wJalr").And.NotContain("AKIDEXAMPLE");
    }
}
