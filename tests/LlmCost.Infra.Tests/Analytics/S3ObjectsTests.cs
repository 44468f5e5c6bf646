using System.Net;
using System.Text;
using LlmCost.Infra.Analytics;
using LlmCost.Infra.Pricing.Live;

namespace LlmCost.Infra.Tests.Analytics;

/// <summary>What s3rver cannot be made to do: throttle, fail, send a body short of its listing, or live in another region.</summary>
public sealed class S3ObjectsTests : IDisposable
{
    private static readonly RetryPolicy Quick = new(3, new LlmCost.Aws.Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2), () => 0.5), TimeSpan.FromSeconds(5));

    private readonly string _dir = Directory.CreateTempSubdirectory("llm-cost-s3-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class Scripted(params Func<HttpRequestMessage, HttpResponseMessage>[] replies) : HttpMessageHandler
    {
        private int _next;

        public List<Uri> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add(request.RequestUri!);
            return Task.FromResult(replies[Math.Min(_next++, replies.Length - 1)](request));
        }
    }

    private static HttpResponseMessage Xml(HttpStatusCode status, string xml) => new(status) { Content = new StringContent(xml, Encoding.UTF8, "application/xml") };

    private static S3Objects Client(HttpMessageHandler handler, bool pathStyle = true) =>
        new(new HttpClient(handler), _ => Task.FromResult(S3rverServer.Credentials), "us-east-1",
            pathStyle ? new Uri("http://127.0.0.1:9") : new Uri("https://s3.us-east-1.amazonaws.com"), pathStyle, TimeProvider.System, Quick);

    [Fact]
    public async Task SlowDown_IsRetried_ThenTheListingArrives()
    {
        var handler = new Scripted(
            _ => Xml(HttpStatusCode.ServiceUnavailable, "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"),
            _ => Xml(HttpStatusCode.OK, """
                <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>records/</Prefix><KeyCount>1</KeyCount>
                <MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>
                <Contents><Key>records/dt=2026-11-02/x</Key><LastModified>2026-11-02T10:05:00.000Z</LastModified><ETag>"abc"</ETag><Size>42</Size><StorageClass>STANDARD</StorageClass></Contents>
                </ListBucketResult>
                """));

        var listed = await Client(handler).ListAsync("b", "records/", "records/dt=2026-11-01", null, CancellationToken.None).ToListAsync();

        listed.Should().Equal(new S3Object("records/dt=2026-11-02/x", 42, "abc"));
        handler.Seen.Should().HaveCount(2);
        handler.Seen[0].ToString().Should().Be("http://127.0.0.1:9/b?list-type=2&prefix=records%2F&start-after=records%2Fdt%3D2026-11-01");
    }

    [Fact]
    public async Task ListingThatRepeatsItsContinuationToken_StopsWithAnError()
    {
        var handler = new Scripted(_ => Xml(HttpStatusCode.OK, """
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>records/</Prefix><KeyCount>1</KeyCount>
            <MaxKeys>1</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>same</NextContinuationToken>
            <Contents><Key>records/dt=2026-11-02/x</Key><ETag>"abc"</ETag><Size>42</Size></Contents>
            </ListBucketResult>
            """));

        var act = async () => await Client(handler).ListAsync("b", "records/", null, 1, CancellationToken.None).ToListAsync();

        (await act.Should().ThrowAsync<UsageFetchException>())
            .WithMessage("list s3://b/records/: page 2 gave the same next token as page 1; the server is repeating itself, refusing to page on");
        handler.Seen.Select(u => u.Query).Should().Equal("?list-type=2&prefix=records%2F&max-keys=1", "?list-type=2&prefix=records%2F&continuation-token=same&max-keys=1");
    }

    [Fact]
    public void VirtualHostedAddress_WithoutAnOverride()
    {
        Client(new Scripted(), pathStyle: false).Address("llm-cost-dev-123456789012-us-east-1", "records/dt=2026-11-02/x", []).ToString()
            .Should().Be("https://llm-cost-dev-123456789012-us-east-1.s3.us-east-1.amazonaws.com/records/dt%3D2026-11-02/x");
    }

    [Fact]
    public async Task BucketInAnotherRegion_SaysWhichRegion()
    {
        var handler = new Scripted(_ =>
        {
            var response = Xml(HttpStatusCode.MovedPermanently, "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message></Error>");
            response.Headers.Add("x-amz-bucket-region", "eu-west-1");
            return response;
        });

        var act = async () => await Client(handler).ListAsync("b", "records/", null, null, CancellationToken.None).ToListAsync();

        (await act.Should().ThrowAsync<UsageFetchException>()).WithMessage("list s3://b/records/: PermanentRedirect: *(HTTP 301); the bucket is in eu-west-1, not us-east-1 (the stack's aws:region)");
        handler.Seen.Should().HaveCount(1, "a client error is not retried");
    }

    [Fact]
    public async Task ShortBody_IsRetried_AndAFailedDownloadLeavesNoFile()
    {
        var handler = new Scripted(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[10]) });
        var target = Path.Combine(_dir, "dt=2026-11-02", "x.parquet");

        var act = () => Client(handler).DownloadAsync("b", new S3Object("records/dt=2026-11-02/x", 42, "abc"), target, CancellationToken.None);

        (await act.Should().ThrowAsync<UsageFetchException>()).WithMessage("get s3://b/records/dt=2026-11-02/x: gave up after 3 attempts; last: *10 bytes arrived, the listing said 42");
        Directory.GetFiles(_dir, "*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task BodyNotMatchingItsETag_IsRefused()
    {
        var handler = new Scripted(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent("hello"u8.ToArray()) });
        var target = Path.Combine(_dir, "x.parquet");

        // MD5("hello") is 5d41402abc4b2a76b9719d911017c592; the listing says otherwise.
        var act = () => Client(handler).DownloadAsync("b", new S3Object("k", 5, "00000000000000000000000000000000"), target, CancellationToken.None);

        (await act.Should().ThrowAsync<UsageFetchException>()).WithMessage("*the bytes' MD5 is not the object's ETag*");
        File.Exists(target).Should().BeFalse();
        (await Client(handler).DownloadAsync("b", new S3Object("k", 5, "5d41402abc4b2a76b9719d911017c592"), target, CancellationToken.None)).Should().Be(5);
        File.ReadAllText(target).Should().Be("hello");
    }

    [Fact]
    public async Task KmsEncryptedObject_IsNotHeldToAnMd5ETag()
    {
        var handler = new Scripted(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent("hello"u8.ToArray()) };
            response.Headers.Add("x-amz-server-side-encryption", "aws:kms");
            return response;
        });
        var target = Path.Combine(_dir, "kms.parquet");

        (await Client(handler).DownloadAsync("b", new S3Object("k", 5, "00000000000000000000000000000000"), target, CancellationToken.None)).Should().Be(5);
        File.ReadAllText(target).Should().Be("hello");
    }
}
