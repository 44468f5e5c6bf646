using LlmCost.Aws;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Pricing.Live;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Tests.Pricing;

/// <summary>The live sources against a local server speaking the Price List and Savings Plans wire formats.</summary>
public sealed class LivePricingTests : IAsyncLifetime
{
    private const string Llama = "meta.llama3-1-8b-instruct-v1:0";
    private const string NovaLite = "amazon.nova-lite-v1:0";
    private const string Claude = "anthropic.claude-3-7-sonnet-20250219-v1:0";
    private static readonly PriceQuery Query = new("us-east-1", [Llama, NovaLite, Claude], FleetPlatform.SageMaker, "ml.inf2.xlarge");
    // Short backoff; an attempt timeout generous enough for a loaded 2-core machine.
    private static readonly RetryPolicy Fast = new(3, new LlmCost.Aws.Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), () => 0.5), TimeSpan.FromSeconds(5));

    private readonly string _cacheDir = Directory.CreateTempSubdirectory("llm-cost-cache-").FullName;
    private FakeAwsPricingServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeAwsPricingServer.StartAsync();
        _server.Products["AmazonBedrock"] =
        [
            [
                FakeAwsPricingServer.Product("B1", new() { ["usagetype"] = "USE1-Llama3-1-8B-input-tokens", ["regionCode"] = "us-east-1" }, 0.00021m, "1K tokens"),
                FakeAwsPricingServer.Product("B2", new() { ["usagetype"] = "USE1-Llama3-1-8B-output-tokens", ["regionCode"] = "us-east-1" }, 0.00023m, "1K tokens"),
                FakeAwsPricingServer.Product("B3", new() { ["usagetype"] = "USE1-Llama3-1-70B-input-tokens", ["regionCode"] = "us-east-1" }, 0.00072m, "1K tokens"),
            ],
            [
                FakeAwsPricingServer.Product("B4", new() { ["usagetype"] = "USE1-NovaLite-input-tokens", ["regionCode"] = "us-east-1" }, 0.00006m, "1K tokens"),
                FakeAwsPricingServer.Product("B5", new() { ["usagetype"] = "USE1-NovaLite-output-tokens", ["regionCode"] = "us-east-1" }, 0.00024m, "1K tokens"),
                FakeAwsPricingServer.Product("B6", new() { ["usagetype"] = "USE1-NovaLite-cache-read-input-token-count", ["regionCode"] = "us-east-1" }, 0.000015m, "1K tokens"),
            ],
        ];
        _server.Products["AmazonSageMaker"] =
        [
            [FakeAwsPricingServer.Product("S1", new() { ["usagetype"] = "USE1-Host:ml.inf2.xlarge", ["instanceName"] = "ml.inf2.xlarge", ["component"] = "Hosting" }, 0.98m, "Hrs")],
        ];
        _server.OfferingRatePages.Add([FakeAwsPricingServer.OfferingRate("SageMaker", 1, "No Upfront", 0.70m, "USE1-Host:ml.inf2.xlarge", "RunInstance", "us-east-1", "ml.inf2.xlarge")]);
        _server.OfferingRatePages.Add(
        [
            FakeAwsPricingServer.OfferingRate("SageMaker", 3, "All Upfront", 0.45m, "USE1-Host:ml.inf2.xlarge", "RunInstance", "us-east-1", "ml.inf2.xlarge"),
            FakeAwsPricingServer.OfferingRate("SageMaker", 1, "No Upfront", 0.66m, "USE1-Train:ml.inf2.xlarge", "RunInstance", "us-east-1", "ml.inf2.xlarge"),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_cacheDir, recursive: true);
    }

    private LivePriceSource Live(RetryPolicy? policy = null)
    {
        string? Env(string name) => name == "AWS_ENDPOINT_URL" ? _server.Endpoint.ToString() : null;
        var client = new AwsJsonClient(new HttpClient(), _ => Task.FromResult(new AwsCredentials("AKIDTEST", "secret-test-key")), TimeProvider.System, policy ?? Fast);
        return new LivePriceSource(new PriceListApi(client, Env), new SavingsPlansApi(client, Env), TimeProvider.System);
    }

    private PriceResolver Resolver(RetryPolicy? policy = null) =>
        new(PriceSnapshot.Embedded, new PriceCache(_cacheDir, TimeProvider.System), () => Live(policy));

    [Fact]
    public async Task Fetch_ReadsEveryPageAndSignsEveryRequest()
    {
        var book = await Live().FetchAsync(Query, CancellationToken.None);

        book.Bedrock[Llama].Prices.Should().Be(new CostModel.TokenPrices(0.21m, 0.23m));
        book.Bedrock[NovaLite].Prices.Should().Be(new CostModel.TokenPrices(0.06m, 0.24m, 0.015m, null));
        book.Bedrock[NovaLite].Origin.Detail.Should().Contain("USE1-NovaLite-input-tokens");
        book.Bedrock.Should().NotContainKey(Claude, "Anthropic models are not in the Price List API");
        book.Instances["sagemaker/ml.inf2.xlarge"].Hourly.Should().Be(0.98m);
        book.SavingsPlans.Select(p => (p.TermYears, p.PaymentOption, p.Hourly)).Should().BeEquivalentTo([(1, "No Upfront", 0.70m), (3, "All Upfront", 0.45m)]);

        var seen = _server.Requests.ToList();
        seen.Where(r => r.Target == "AWSPriceListService.GetProducts" && r.Body["ServiceCode"]!.GetValue<string>() == "AmazonBedrock")
            .Select(r => r.Body["NextToken"]?.GetValue<string>()).Should().Equal(null, "1");
        seen.Where(r => r.Path == "/DescribeSavingsPlansOfferingRates").Should().HaveCount(2);
        seen.Should().OnlyContain(r => r.Authorization!.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/", StringComparison.Ordinal));
        seen.First(r => r.Target is not null).Authorization.Should().Contain("/us-east-1/pricing/aws4_request");
        seen.First(r => r.Path == "/DescribeSavingsPlansOfferingRates").Authorization.Should().Contain("/us-east-1/savingsplans/aws4_request");
    }

    [Fact]
    public async Task Resolve_Throttled_RetriesThenPricesLive()
    {
        _server.Script(
            new FakeAwsPricingServer.Reply(400, """{"__type":"ThrottlingException","message":"Rate exceeded"}"""),
            new FakeAwsPricingServer.Reply(429, """{"message":"Too Many Requests"}"""));

        var book = await Resolver().ResolveAsync(Query, PricingSource.Live, 24, TimeSpan.FromSeconds(10));

        book.Source.Should().Be(PriceOriginKind.Live);
        book.Fallback.Should().BeNull();
        book.Bedrock[Llama].Origin.Source.Should().Be(PriceOriginKind.Live);
        book.Bedrock[Claude].Origin.Source.Should().Be(PriceOriginKind.Snapshot, "what the API lacks comes from the snapshot, labelled");
    }

    [Fact]
    public async Task Resolve_ServerErrorEveryTime_FallsBackToSnapshotAndSaysWhy()
    {
        _server.Script(Enumerable.Repeat(new FakeAwsPricingServer.Reply(500, """{"message":"internal"}""", ErrorType: "InternalErrorException:http://internal.amazon.com/"), 3).ToArray());

        var book = await Resolver().ResolveAsync(Query, PricingSource.Live, 24, TimeSpan.FromSeconds(10));

        book.Source.Should().Be(PriceOriginKind.Snapshot);
        book.Fallback.Should().Be("live pricing failed (Pricing GetProducts AmazonBedrock: gave up after 3 attempts; last: Pricing GetProducts AmazonBedrock: HTTP 500 InternalErrorException: internal); no cached prices; using the embedded snapshot of 2026-09-30");
        book.Bedrock[Llama].Origin.Source.Should().Be(PriceOriginKind.Snapshot);
    }

    [Fact]
    public async Task Resolve_NoAnswerInTime_FallsBack()
    {
        _server.Script(Enumerable.Repeat(new FakeAwsPricingServer.Reply(200, "{}", TimeSpan.FromSeconds(4)), 2).ToArray());

        var book = await Resolver(Fast with { MaxAttempts = 2, AttemptTimeout = TimeSpan.FromSeconds(1) }).ResolveAsync(Query, PricingSource.Live, 24, TimeSpan.FromSeconds(20));

        book.Source.Should().Be(PriceOriginKind.Snapshot);
        book.Fallback.Should().Contain("no answer within 1 s");
    }

    [Fact]
    public async Task Resolve_MalformedBody_FallsBackWithoutRetrying()
    {
        _server.Script(new FakeAwsPricingServer.Reply(200, "<html>not json</html>"));

        var book = await Resolver().ResolveAsync(Query, PricingSource.Live, 24, TimeSpan.FromSeconds(10));

        book.Fallback.Should().StartWith("live pricing failed (Pricing GetProducts AmazonBedrock: malformed answer from 127.0.0.1 (not JSON");
        _server.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Resolve_MalformedPriceListItem_NamesIt()
    {
        _server.Products["AmazonBedrock"] = [["{\"product\":{}}"]];

        var act = () => Resolver().ResolveAsync(Query, PricingSource.LiveRequired, 24, TimeSpan.FromSeconds(10));

        (await act.Should().ThrowAsync<PricingException>())
            .WithMessage("pricing.source is live-required and live pricing failed: Pricing GetProducts AmazonBedrock: malformed PriceList item*");
    }

    [Fact]
    public async Task Resolve_LiveRequired_StopsInsteadOfFallingBack()
    {
        _server.Script(Enumerable.Repeat(new FakeAwsPricingServer.Reply(503, """{"message":"unavailable"}"""), 3).ToArray());

        var act = () => Resolver().ResolveAsync(Query, PricingSource.LiveRequired, 24, TimeSpan.FromSeconds(10));

        (await act.Should().ThrowAsync<PricingException>()).WithMessage("pricing.source is live-required and live pricing failed: *HTTP 503*");
    }

    [Fact]
    public async Task Resolve_AccessDenied_IsNotRetried()
    {
        _server.Script(new FakeAwsPricingServer.Reply(400, """{"__type":"AccessDeniedException","Message":"not authorized to perform pricing:GetProducts"}"""));

        var book = await Resolver().ResolveAsync(Query, PricingSource.Live, 24, TimeSpan.FromSeconds(10));

        book.Fallback.Should().Contain("HTTP 400 AccessDeniedException: not authorized to perform pricing:GetProducts");
        _server.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Resolve_FreshCache_AnswersWithoutCallingAws_StaleCacheBacksUpAFailure()
    {
        await Resolver().ResolveAsync(Query, PricingSource.Live, 24, TimeSpan.FromSeconds(10));
        var calls = _server.Requests.Count;

        var cached = await Resolver().ResolveAsync(Query, PricingSource.Live, 24, TimeSpan.FromSeconds(10));
        cached.Source.Should().Be(PriceOriginKind.Cache);
        cached.Bedrock[Llama].Prices.InputPer1M.Should().Be(0.21m);
        _server.Requests.Count.Should().Be(calls, "a fresh cache needs no call");

        _server.Script(Enumerable.Repeat(new FakeAwsPricingServer.Reply(500, "{}"), 3).ToArray());
        var stale = await Resolver().ResolveAsync(Query, PricingSource.Live, cacheHours: 0, TimeSpan.FromSeconds(10));
        stale.Source.Should().Be(PriceOriginKind.Cache);
        stale.Fallback.Should().StartWith("live pricing failed (").And.Contain("using prices cached");
        stale.Bedrock[Llama].Prices.InputPer1M.Should().Be(0.21m);
    }

    [Fact]
    public async Task Resolve_Snapshot_NeverCallsAws()
    {
        var book = await Resolver().ResolveAsync(Query, PricingSource.Snapshot, 24, TimeSpan.FromSeconds(10));

        book.Source.Should().Be(PriceOriginKind.Snapshot);
        book.Fallback.Should().BeNull();
        _server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Fetch_EcsFleet_PricesEc2AndKeepsOnlyLinuxSharedBoxUsageRates()
    {
        _server.Products["AmazonEC2"] =
        [[FakeAwsPricingServer.Product("E1", new() { ["usagetype"] = "BoxUsage:inf2.xlarge", ["instanceType"] = "inf2.xlarge", ["operatingSystem"] = "Linux" }, 0.7582m, "Hrs")]];
        _server.OfferingRatePages.Clear();
        _server.OfferingRatePages.Add(
        [
            FakeAwsPricingServer.OfferingRate("Compute", 1, "No Upfront", 0.5231m, "BoxUsage:inf2.xlarge", "RunInstances", "us-east-1", "inf2.xlarge"),
            FakeAwsPricingServer.OfferingRate("EC2Instance", 3, "All Upfront", 0.3033m, "BoxUsage:inf2.xlarge", "RunInstances", "us-east-1", "inf2.xlarge"),
            FakeAwsPricingServer.OfferingRate("Compute", 1, "No Upfront", 0.9000m, "BoxUsage:inf2.xlarge", "RunInstances:0002", "us-east-1", "inf2.xlarge"),
            FakeAwsPricingServer.OfferingRate("Compute", 1, "No Upfront", 0.6000m, "DedicatedUsage:inf2.xlarge", "RunInstances", "us-east-1", "inf2.xlarge"),
        ]);

        var book = await Live().FetchAsync(new PriceQuery("us-east-1", [], FleetPlatform.Ecs, "inf2.xlarge"), CancellationToken.None);

        book.Instances["ecs/inf2.xlarge"].Hourly.Should().Be(0.7582m);
        book.SavingsPlans.Select(p => (p.PlanType, p.TermYears, p.PaymentOption, p.Hourly))
            .Should().BeEquivalentTo([("Compute", 1, "No Upfront", 0.5231m), ("EC2Instance", 3, "All Upfront", 0.3033m)]);
        var filters = _server.Requests.Single(r => r.Target is not null).Body["Filters"]!.AsArray()
            .Select(f => $"{f!["Field"]!.GetValue<string>()}={f["Value"]!.GetValue<string>()}");
        filters.Should().Contain(["instanceType=inf2.xlarge", "regionCode=us-east-1", "operatingSystem=Linux", "tenancy=Shared", "capacitystatus=Used", "marketoption=OnDemand"]);
        _server.Requests.Single(r => r.Path == "/DescribeSavingsPlansOfferingRates").Body["savingsPlanTypes"]!.ToJsonString().Should().Be("""["Compute","EC2Instance"]""");
    }

    [Fact]
    public async Task Resolve_EstimatedRatesFollowTheLiveOnDemandPrice()
    {
        // No Savings Plan rates on the server: the estimates fill in, as discounts off the live $0.98, not the snapshot's $0.99.
        _server.OfferingRatePages.Clear();

        var book = await Resolver().ResolveAsync(Query, PricingSource.Live, 24, TimeSpan.FromSeconds(10));

        var oneYear = book.SavingsPlans.Single(p => p.TermYears == 1 && p.PaymentOption == "No Upfront");
        oneYear.Origin.Detail.Should().StartWith("ESTIMATE");
        (1m - (oneYear.Hourly / book.Instances["sagemaker/ml.inf2.xlarge"].Hourly)).Should().BeApproximately(0.25m, 0.000001m);
    }

    [Fact]
    public async Task Resolve_ErrorMessageQuotingTheSignedRequest_IsWithheld()
    {
        _server.Script(new FakeAwsPricingServer.Reply(403, """{"__type":"SignatureDoesNotMatch","message":"The Canonical String for this request should have been 'POST\n/\n\nx-amz-security-token:SECRET'"}"""));

        var book = await Resolver().ResolveAsync(Query, PricingSource.Live, 24, TimeSpan.FromSeconds(10));

        book.Fallback.Should().Contain("SignatureDoesNotMatch: (message withheld: it quotes the signed request)").And.NotContain("SECRET");
    }

    [Fact]
    public async Task Resolve_UnreadableCacheFile_IsIgnored()
    {
        var cache = new PriceCache(_cacheDir, TimeProvider.System);
        Directory.CreateDirectory(_cacheDir);
        await File.WriteAllTextAsync(cache.PathFor(Query), "{}");

        var book = await Resolver().ResolveAsync(Query, PricingSource.Live, 24, TimeSpan.FromSeconds(10));

        book.Source.Should().Be(PriceOriginKind.Live);
    }
}
