using System.Text.Json.Nodes;

namespace LlmCost.Infra.Tests.Pricing;

/// <summary>The compiler, started as Pulumi starts it, pricing from a local server that speaks the AWS wire formats.</summary>
public sealed class LiveCompilerTests : IAsyncLifetime
{
    private readonly CompilerProject _project = new();
    private FakeAwsPricingServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeAwsPricingServer.StartAsync();
        _server.Products["AmazonBedrock"] =
        [[
            FakeAwsPricingServer.Product("B1", new() { ["usagetype"] = "USE1-NovaMicro-input-tokens", ["regionCode"] = "us-east-1" }, 0.00004m, "1K tokens"),
            FakeAwsPricingServer.Product("B2", new() { ["usagetype"] = "USE1-NovaMicro-output-tokens", ["regionCode"] = "us-east-1" }, 0.00015m, "1K tokens"),
        ]];
        _server.FoundationModels =
        [
            Catalog.LiveModelCatalogTests.Model("amazon.nova-micro-v1:0", ["ON_DEMAND", "INFERENCE_PROFILE"], """{"status":"ACTIVE"}"""),
            Catalog.LiveModelCatalogTests.Model("amazon.nova-lite-v1:0", ["ON_DEMAND", "INFERENCE_PROFILE"], """{"status":"ACTIVE"}"""),
        ];
        _project.BuildBundle("arm64");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _project.Dispose();
    }

    private Dictionary<string, string> LiveRun(string stack)
    {
        var environment = _project.PulumiRun(stack, CompilerProject.PulumiConfig(stack));
        environment["AWS_ENDPOINT_URL_PRICING"] = _server.Endpoint.ToString();
        environment["AWS_ENDPOINT_URL_SAVINGSPLANS"] = _server.Endpoint.ToString();
        environment["AWS_ENDPOINT_URL_BEDROCK"] = _server.Endpoint.ToString();
        environment["AWS_ENDPOINT_URL_LAMBDA"] = _server.Endpoint.ToString();
        environment["AWS_ACCESS_KEY_ID"] = "AKIDTEST";
        environment["AWS_SECRET_ACCESS_KEY"] = "secret-test-key";
        return environment;
    }

    [Fact]
    public void Compiler_PricesFromTheLiveEndpoint_AndTheRouterTableCarriesThosePrices()
    {
        var (exit, stdout, stderr) = _project.Run(LiveRun("dev"));

        exit.Should().Be(0, stderr);
        var outputs = JsonNode.Parse(stdout)!["outputs"]!;
        outputs["pricingSource"]!.GetValue<string>().Should().Be("live");
        outputs["pricingFallback"].Should().BeNull();
        outputs["routerPriceTable"]!["small"]!["inputUsdPer1M"]!.GetValue<decimal>().Should().Be(0.04m);
        outputs["routerPriceTable"]!["small"]!["outputUsdPer1M"]!.GetValue<decimal>().Should().Be(0.15m);
        outputs["routerPriceTable"]!["medium"]!["priceSource"]!.GetValue<string>().Should().StartWith("snapshot", "Nova Lite is not on this server");

        var env = JsonNode.Parse(stdout)!["resources"]!["router-function"]!["properties"]!["environment"]!["variables"]!["LLM_COST_ROUTER_CONFIG"]!["fn::toJSON"]!;
        env["routes"]![0]!["prices"]!["inputPer1M"]!.GetValue<decimal>().Should().Be(0.04m);
        _server.Requests.Should().OnlyContain(r => r.Authorization!.Contains("Credential=AKIDTEST/", StringComparison.Ordinal));
    }

    [Fact]
    public void Compiler_EndpointFails_FallsBackAndSaysSoInTheOutputs()
    {
        _server.Script(Enumerable.Repeat(new FakeAwsPricingServer.Reply(500, """{"message":"internal"}"""), 20).ToArray());

        var (exit, stdout, stderr) = _project.Run(LiveRun("dev"));

        exit.Should().Be(0, stderr);
        var outputs = JsonNode.Parse(stdout)!["outputs"]!;
        outputs["pricingSource"]!.GetValue<string>().Should().Be("snapshot");
        outputs["pricingFallback"]!.GetValue<string>().Should().StartWith("live pricing failed (Pricing GetProducts AmazonBedrock: gave up after 5 attempts");
    }

    [Fact]
    public void Compiler_LiveRequiredAndEndpointFails_StopsWithTheReason()
    {
        _server.Script(Enumerable.Repeat(new FakeAwsPricingServer.Reply(500, """{"message":"internal"}"""), 20).ToArray());
        var environment = LiveRun("dev");
        environment["LLM_COST_PRICING_SOURCE"] = "live-required";

        var (exit, stdout, stderr) = _project.Run(environment);

        exit.Should().Be(5);
        stdout.Should().BeEmpty();
        stderr.Should().StartWith("llm-cost: pricing.source is live-required and live pricing failed: Pricing GetProducts AmazonBedrock: gave up after 5 attempts");
    }

    [Fact]
    public void Compiler_LiveModelCatalogUnavailable_ChecksOnTheSnapshotAndSaysSo()
    {
        _server.FoundationModels = null;

        var (exit, stdout, stderr) = _project.Run(LiveRun("dev"));

        exit.Should().Be(0, stderr);
        var notes = JsonNode.Parse(stdout)!["outputs"]!["deploymentNotes"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        notes.Should().Contain(n => n.StartsWith("models were checked against the embedded Bedrock catalog of 2026-11-28: the live catalog could not be read (Bedrock ListFoundationModels: HTTP 404", StringComparison.Ordinal));
    }

    [Fact]
    public void Compiler_ReservationTheAccountCannotHold_StopsAtPreviewNamingTheKey()
    {
        _server.LambdaAccount = (1000, 100);

        var (exit, stdout, stderr) = _project.Run(LiveRun("dev"));

        exit.Should().NotBe(0);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("llm-cost:router.reservedConcurrency: 5 would not be accepted in this account");
    }

    [Fact]
    public void Compiler_LiveModelCatalogWithoutARouteModel_StopsNamingTheKey()
    {
        _server.FoundationModels!.RemoveAt(1);

        var (exit, stdout, stderr) = _project.Run(LiveRun("dev"));

        exit.Should().NotBe(0);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("llm-cost:routes[1].model: amazon.nova-lite-v1:0 is not offered in us-east-1");
    }

    [Fact]
    public void PricesRefresh_FillsTheCacheFromTheLiveApis_AndFailsLoudlyWhenItCannot()
    {
        var environment = LiveRun("dev");
        var cache = environment["LLM_COST_CACHE_DIR"];

        var (exit, stdout, stderr) = _project.Run(environment, "prices", "refresh", "--stack", "dev", "--project-dir", _project.Directory);

        exit.Should().Be(0, stderr);
        stdout.Should().StartWith("prices for stack dev in us-east-1: source live");
        stdout.Should().Contain("amazon.nova-micro-v1:0").And.Contain("[live ");
        Directory.GetFiles(cache, "prices-v2-us-east-1-*.json").Should().ContainSingle();

        _server.Script(Enumerable.Repeat(new FakeAwsPricingServer.Reply(500, """{"message":"internal"}"""), 20).ToArray());
        var failed = _project.Run(environment, "prices", "refresh", "--stack", "dev", "--project-dir", _project.Directory);
        failed.ExitCode.Should().Be(5);
        failed.Stderr.Should().StartWith("llm-cost: pricing.source is live-required and live pricing failed:");
    }
}
