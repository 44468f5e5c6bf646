using System.Collections.Concurrent;
using System.Globalization;
using LlmCost.Aws;
using LlmCost.Infra.Analytics;
using LlmCost.Infra.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmCost.Infra.Tests.Analytics;

/// <summary>
/// <c>usage fetch</c> against a real S3-compatible server (s3rver on 127.0.0.1), with Parquet objects as the
/// delivery stream writes them (records written the router's way, converted with the Glue table's columns). Objects
/// sit in day partitions relative to today, since the server refuses requests signed far from its own clock; the
/// records inside carry fixed times, so the report's figures are the hand computation of
/// <see cref="UsageReportParquetTests"/>: search 3 requests, 6000 in, 1700 out, 0.07 USD; support 2, 500, 100, 0.005.
/// </summary>
public sealed class UsageFetchTests : IAsyncLifetime
{
    private const string Bucket = "llm-cost-dev-123456789012-us-east-1";

    private readonly string _dir = Directory.CreateTempSubdirectory("llm-cost-fetch-").FullName;
    private readonly DateOnly _today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
    private S3rverServer _s3 = null!;

    public async Task InitializeAsync() => _s3 = await S3rverServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _s3.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Out => Path.Combine(_dir, "out");

    private string Day(int daysAgo) => FetchWindow.Day(_today.AddDays(-daysAgo));

    private static string ObjectName(string day, string suffix) => $"llm-cost-dev-usage-1-{day}-10-05-00-{suffix}";

    /// <summary>A Parquet object of the delivery stream, uploaded under <c>records/dt=DAY/</c>; returns its bytes.</summary>
    private async Task<byte[]> PutRecordsAsync(string day, string suffix, IEnumerable<RouterRecord> records)
    {
        var file = RouterRecords.WriteParquet(Path.Combine(_dir, "upload", suffix), records);
        var bytes = await File.ReadAllBytesAsync(file);
        await _s3.PutAsync(Bucket, $"records/dt={day}/{ObjectName(day, suffix)}", bytes);
        return bytes;
    }

    private Func<string, string?> Environment(params (string Name, string Value)[] more) =>
        name => more.Append((Name: "AWS_ENDPOINT_URL_S3", Value: _s3.Endpoint.ToString())).FirstOrDefault(v => v.Name == name).Value;

    private Task<UsageFetchResult> FetchAsync(string since, string? bucket = Bucket, int? pageSize = null, HttpClient? http = null,
        Func<string, string?>? environment = null, AwsCredentials? credentials = null, StackSettings? settings = null) =>
        UsageFetch.RunAsync(new UsageFetchRequest(settings ?? Repo.Settings("dev"), since, Out, bucket, pageSize), http ?? new HttpClient(),
            _ => Task.FromResult(credentials ?? S3rverServer.Credentials), environment ?? Environment(), TimeProvider.System, CancellationToken.None);

    private string[] OutFiles() =>
        Directory.Exists(Out) ? Directory.GetFiles(Out, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Out, f)).Order(StringComparer.Ordinal).ToArray() : [];

    [Fact]
    public async Task Fetch_BringsExactlyTheObjectsOfTheWindowsDays_AndTheReportReadsThem()
    {
        await _s3.CreateBucketAsync(Bucket);
        var records = RouterRecords.FiveRequests();
        var first = await PutRecordsAsync(Day(3), "a", records.Take(2));
        var second = await PutRecordsAsync(Day(0), "b", records.Skip(2));
        // Outside the window: a day before it, and what the bucket holds besides records.
        await PutRecordsAsync(Day(4), "old", [new RouterRecord("2026-11-01T00:00:00Z", "search", "u9", "small", "amazon.nova-micro-v1:0", 1, 1, 9.99m)]);
        await _s3.PutAsync(Bucket, $"errors/format-conversion-failed/dt={Day(1)}/{ObjectName(Day(1), "failed")}", new byte[123]);
        await _s3.PutAsync(Bucket, $"errors/format-conversion-failed/dt={Day(9)}/{ObjectName(Day(9), "failed")}", new byte[77]);
        await _s3.PutAsync(Bucket, "athena-results/0d7c6f5e.csv", "app,cost\n"u8.ToArray());

        var result = await FetchAsync("3d");

        OutFiles().Should().Equal(
            Path.Combine($"dt={Day(3)}", ObjectName(Day(3), "a") + ".parquet"),
            Path.Combine($"dt={Day(0)}", ObjectName(Day(0), "b") + ".parquet"));
        (await File.ReadAllBytesAsync(Path.Combine(Out, $"dt={Day(3)}", ObjectName(Day(3), "a") + ".parquet"))).Should().Equal(first);
        (result.Fetched, result.FetchedBytes, result.Present).Should().Be((2, first.Length + second.Length, 0));
        result.ErrorObjects.Should().Be((1, 123L));
        UsageFetch.Render(result).Should().Contain($"fetched 2 object(s), {first.Length + second.Length:N0} bytes")
            .And.Contain($"1 object(s) (123 bytes) under s3://{Bucket}/errors/");

        var tables = UsageReport.Run(Directory.GetFiles(Out, "*.parquet", SearchOption.AllDirectories), "cost_by_app", 0m, 0m);
        UsageReportParquetTests.Rows(tables, "cost_by_app").Should().BeEquivalentTo(new object?[][]
        {
            ["search", 3m, 6000m, 1700m, 0.07m],
            ["support", 2m, 500m, 100m, 0.005m],
        }, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task FetchAgain_SkipsFilesOfTheSameSize_AndReplacesOneThatDiffers()
    {
        await _s3.CreateBucketAsync(Bucket);
        var records = RouterRecords.FiveRequests();
        var first = await PutRecordsAsync(Day(1), "a", records.Take(2));
        var second = await PutRecordsAsync(Day(0), "b", records.Skip(2));
        await FetchAsync("1d");
        var cut = Path.Combine(Out, $"dt={Day(0)}", ObjectName(Day(0), "b") + ".parquet");
        File.WriteAllBytes(cut, second[..100]);

        var again = await FetchAsync("1d");

        (again.Fetched, again.FetchedBytes, again.Present, again.PresentBytes).Should().Be((1, second.Length, 1, first.Length));
        (await File.ReadAllBytesAsync(cut)).Should().Equal(second);
        OutFiles().Should().HaveCount(2, "no temporary file is left beside them");
    }

    [Fact]
    public async Task ManyObjects_AreListedPageByPage()
    {
        await _s3.CreateBucketAsync(Bucket);
        var record = RouterRecords.FiveRequests()[0];
        for (var i = 0; i < 7; i++)
        {
            await PutRecordsAsync(Day(i % 2), $"part{i}", [record]);
        }

        await PutRecordsAsync(Day(5), "older", [record]);
        var counting = new CountingHandler();

        var result = await FetchAsync("1d", pageSize: 2, http: new HttpClient(counting));

        result.Fetched.Should().Be(7);
        OutFiles().Should().HaveCount(7);
        // Listing from the first day on: 7 keys at 2 a page is 4 pages (s3rver honours max-keys); errors/ is one more.
        counting.Lists.Should().Be(5);
        counting.ContinuationTokens.Should().Be(3);
    }

    [Fact]
    public async Task MissingBucket_IsAClearErrorNamingIt_AndWritesNothing()
    {
        var act = () => FetchAsync("7d");

        (await act.Should().ThrowAsync<UsageFetchException>()).WithMessage($"list s3://{Bucket}/records/: NoSuchBucket: *(HTTP 404); bucket {Bucket} does not exist here*--bucket*");
        Directory.Exists(Out).Should().BeFalse();
    }

    [Fact]
    public async Task UnknownAccessKey_IsAClearErrorAboutTheCredentials_AndWritesNothing()
    {
        await _s3.CreateBucketAsync(Bucket);
        await PutRecordsAsync(Day(0), "a", RouterRecords.FiveRequests());

        var act = () => FetchAsync("7d", credentials: new AwsCredentials("AKIDNOTKNOWNHERE", "secret"));

        (await act.Should().ThrowAsync<UsageFetchException>()).WithMessage("*InvalidAccessKeyId*(HTTP 403); check the AWS credentials*");
        Directory.Exists(Out).Should().BeFalse();
    }

    [Fact]
    public async Task NoCredentials_IsAClearError_AndAsksNothing()
    {
        var act = () => UsageFetch.RunAsync(new UsageFetchRequest(Repo.Settings("dev"), "7d", Out, Bucket), new HttpClient(),
            _ => throw new LlmCost.Infra.Pricing.PricingException("no AWS credentials found (environment, profile, container or instance metadata): none"),
            Environment(), TimeProvider.System, CancellationToken.None);

        (await act.Should().ThrowAsync<UsageFetchException>()).WithMessage("reading the usage bucket needs AWS credentials: no AWS credentials found*");
        Directory.Exists(Out).Should().BeFalse();
    }

    [Fact]
    public async Task WithoutBucket_TheStacksOwnIsNamedFromTheAccountStsReports()
    {
        await _s3.CreateBucketAsync(Bucket);
        await PutRecordsAsync(Day(0), "a", RouterRecords.FiveRequests());
        await using var sts = await StsStub.StartAsync("123456789012");

        var result = await FetchAsync("1d", bucket: null, environment: Environment(("AWS_ENDPOINT_URL_STS", sts.Endpoint.ToString())));

        (result.Bucket, result.Fetched).Should().Be((Bucket, 1));
        sts.Bodies.Should().Equal("Action=GetCallerIdentity&Version=2011-06-15");
        sts.Authorizations.Single().Should().Contain("/us-east-1/sts/aws4_request");
    }

    [Fact]
    public async Task AnalyticsDisabled_WithoutBucket_SaysTheStackKeepsNoRecords()
    {
        var settings = StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:analytics", """{"enabled":false}""")));

        var act = () => FetchAsync("1d", bucket: null, settings: settings);

        (await act.Should().ThrowAsync<UsageFetchException>()).WithMessage("*llm-cost:analytics.enabled is false, so stack dev keeps no usage records in S3*");
    }

    [Fact]
    public async Task BadBucketName_IsRefusedNamingTheFlag()
    {
        var act = () => FetchAsync("1d", bucket: "Not_A_Bucket");

        (await act.Should().ThrowAsync<UsageFetchException>()).WithMessage("--bucket: *");
    }

    private Dictionary<string, string> CliEnvironment(bool credentials = true)
    {
        var environment = new Dictionary<string, string> { ["AWS_ENDPOINT_URL_S3"] = _s3.Endpoint.ToString() };
        if (credentials)
        {
            (environment["AWS_ACCESS_KEY_ID"], environment["AWS_SECRET_ACCESS_KEY"]) = (S3rverServer.AccessKey, S3rverServer.AccessKey);
        }

        return environment;
    }

    [Fact]
    public async Task Cli_FetchThenReport_PrintsTheHandComputedTable()
    {
        await _s3.CreateBucketAsync(Bucket);
        var records = RouterRecords.FiveRequests();
        await PutRecordsAsync(Day(2), "a", records.Take(2));
        await PutRecordsAsync(Day(0), "b", records.Skip(2));
        using var project = new CompilerProject();

        var fetch = project.Run(CliEnvironment(), "usage", "fetch", "--stack", "dev", "--since", "2d", "--bucket", Bucket);

        (fetch.ExitCode, fetch.Stderr).Should().Be((0, ""));
        fetch.Stdout.Should().Contain("fetched 2 object(s)").And.Contain($"s3://{Bucket}/records/ for {Day(2)} to {Day(0)}");
        var files = Directory.GetFiles(Path.Combine(project.Directory, ".artifacts", "usage", "dev"), "*.parquet", SearchOption.AllDirectories);
        files.Should().HaveCount(2);

        var report = project.Run(null, ["usage", "report", "--query", "cost_by_app", "--records", .. files]);

        report.Stdout.Should().Be(
            "cost_by_app: Cost by app: requests, tokens and USD per configured app, costliest first.\n" +
            "app      requests  input_tokens  output_tokens  cost_usd\n" +
            "search   3         6000          1700           0.07\n" +
            "support  2         500           100            0.005\n\n");
    }

    [Fact]
    public void Cli_MissingBucket_ExitsNonZeroNamingIt_AndWritesNothing()
    {
        using var project = new CompilerProject();

        var fetch = project.Run(CliEnvironment(), "usage", "fetch", "--stack", "dev", "--since", "7d", "--bucket", "llm-cost-nowhere");

        fetch.ExitCode.Should().Be(7);
        fetch.Stderr.Should().StartWith("llm-cost: list s3://llm-cost-nowhere/records/: NoSuchBucket");
        fetch.Stdout.Should().BeEmpty();
        Directory.Exists(Path.Combine(project.Directory, ".artifacts")).Should().BeFalse();
    }

    [Fact]
    public void Cli_NoCredentials_ExitsNonZeroSayingSo_AndWritesNothing()
    {
        using var project = new CompilerProject();

        var fetch = project.Run(CliEnvironment(credentials: false), "usage", "fetch", "--stack", "dev", "--since", "7d", "--bucket", Bucket);

        fetch.ExitCode.Should().Be(7);
        fetch.Stderr.Should().StartWith("llm-cost: reading the usage bucket needs AWS credentials: no AWS credentials found");
        Directory.Exists(Path.Combine(project.Directory, ".artifacts")).Should().BeFalse();
    }

    [Fact]
    public void Cli_BadSince_IsAParseErrorNamingTheFlag()
    {
        using var project = new CompilerProject();

        var fetch = project.Run(CliEnvironment(), "usage", "fetch", "--stack", "dev", "--since", "a week", "--bucket", Bucket);

        fetch.ExitCode.Should().Be(1);
        fetch.Stderr.Should().Contain("--since: expected a duration such as 7d, 24h or 90m (a whole number of days, hours or minutes), got \"a week\"");
    }

    [Theory]
    [InlineData("24h", "2026-11-05T10:00:00Z", "2026-11-04", "2026-11-05")]
    [InlineData("7d", "2026-11-05T10:00:00Z", "2026-10-29", "2026-11-05")]
    [InlineData("90m", "2026-11-05T00:30:00Z", "2026-11-04", "2026-11-05")]
    [InlineData("10m", "2026-11-05T00:30:00Z", "2026-11-05", "2026-11-05")]
    [InlineData("3650d", "2026-11-05T00:00:00Z", "2016-11-07", "2026-11-05")]
    public void Since_CoversWholeUtcDaysBackToTheDayItReaches(string since, string now, string first, string last)
    {
        var window = FetchWindow.Parse(since, DateTimeOffset.Parse(now, CultureInfo.InvariantCulture));

        (FetchWindow.Day(window.FirstDay), FetchWindow.Day(window.LastDay)).Should().Be((first, last));
    }

    [Theory]
    [InlineData("7")]
    [InlineData("7x")]
    [InlineData("0d")]
    [InlineData("-1d")]
    [InlineData("1.5d")]
    [InlineData("")]
    [InlineData("3651d")]
    [InlineData("99999999h")]
    public void BadSince_IsRefusedNamingTheFlag(string since)
    {
        var act = () => FetchWindow.Parse(since, DateTimeOffset.Parse("2026-11-05T10:00:00Z", CultureInfo.InvariantCulture));

        act.Should().Throw<FormatException>().WithMessage("--since: *");
    }

    /// <summary>Counts ListObjectsV2 calls and those continuing a listing.</summary>
    private sealed class CountingHandler() : DelegatingHandler(new HttpClientHandler())
    {
        private int _lists;
        private int _tokens;

        public int Lists => _lists;

        public int ContinuationTokens => _tokens;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = request.RequestUri!.Query;
            if (query.Contains("list-type=2", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _lists);
                if (query.Contains("continuation-token=", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _tokens);
                }
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>STS's GetCallerIdentity as the Query API answers it (XML), on 127.0.0.1.</summary>
    private sealed class StsStub : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private StsStub(WebApplication app) => _app = app;

        public Uri Endpoint { get; private set; } = null!;

        public ConcurrentQueue<string> Bodies { get; } = new();

        public ConcurrentQueue<string> Authorizations { get; } = new();

        public static async Task<StsStub> StartAsync(string account)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var stub = new StsStub(app);
            app.Run(async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                stub.Bodies.Enqueue(await reader.ReadToEndAsync());
                stub.Authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
                context.Response.ContentType = "text/xml";
                await context.Response.WriteAsync($"""
                    <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <GetCallerIdentityResult>
                        <Arn>arn:aws:iam::{account}:user/analyst</Arn>
                        <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
                        <Account>{account}</Account>
                      </GetCallerIdentityResult>
                      <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
                    </GetCallerIdentityResponse>
                    """);
            });
            await app.StartAsync();
            stub.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return stub;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
