using LlmCost.CostModel.Vocabulary;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Tests.Settings;

/// <summary>
/// One test per config section: with the section (or an optional field) left out, every value is the documented
/// default. Expectations are the README's figures, written out, never the constants under test.
/// </summary>
public sealed class SectionDefaultsTests
{
    private static StackSettings DevWith(params (string Key, string? Value)[] changes) => StackSettingsReader.Read(Repo.ConfigWith("dev", changes));

    [Fact]
    public void Router_Omitted_Defaults()
    {
        var router = DevWith(("llm-cost:router", null)).Router;

        // Timeout 899 s: a second inside the streamed integration's 900 s (15 minutes).
        router.Should().Be(new RouterSettings(LambdaArchitecture.Arm64, 512, 899, 10, 30, false, "refuse"));
    }

    [Fact]
    public void Gateway_OnlyTheRequiredPrefix_Defaults()
    {
        var gateway = DevWith(("llm-cost:gateway", """{"authDomainPrefix":"example-llm-cost-dev"}""")).Gateway;

        // Burst: twice the rate (10 x 2).
        gateway.Should().Be(new GatewaySettings("example-llm-cost-dev", 10, 20, 64, 100_000, 30, 60));
    }

    [Fact]
    public void Routes_OptionalFieldsOmitted_Defaults()
    {
        var route = DevWith(("llm-cost:routes", """[{"name":"small","model":"amazon.nova-micro-v1:0","maxInputTokens":8000,"maxOutputTokens":512}]"""),
            ("llm-cost:autoRouting", null), ("llm-cost:demand", null)).Routes.Single();

        route.Should().Be(new RouteSettings("small", Backend.Bedrock, "amazon.nova-micro-v1:0", null, 8000, 512, false, null) { Key = "llm-cost:routes[0]" });
    }

    [Fact]
    public void AutoRouting_Omitted_OneTierOnTheFirstRoute_ExplicitModelsAllowed()
    {
        var auto = DevWith(("llm-cost:autoRouting", null), ("llm-cost:demand", null)).AutoRouting;

        auto.Tiers.Should().Equal(new AutoTier("small", 1m));
        auto.AllowExplicitModels.Should().BeTrue();
    }

    [Fact]
    public void Apps_OptionalFieldsOmitted_Defaults()
    {
        var app = DevWith(("llm-cost:apps", """[{"name":"playground"}]""")).Apps.Single();

        app.Should().Be(new AppSettings("playground", false, null) { Key = "llm-cost:apps[0]" });
    }

    [Fact]
    public void Fleet_Omitted_IsAbsent()
    {
        DevWith(("llm-cost:fleet", null)).Fleet.Should().BeNull();
    }

    [Fact]
    public void Fleet_OnlyTheRequiredKeys_Defaults()
    {
        var fleet = StackSettingsReader.Read(Repo.ConfigWith("prod", ("llm-cost:fleet",
            """{"platform":"sagemaker","instanceType":"ml.inf2.xlarge","modelName":"llama-3.1-8b-instruct","tokensPerSecondPerInstance":2000,"huggingFaceModelId":"meta-llama/Llama-3.1-8B-Instruct"}"""))).Fleet!;

        fleet.Should().BeEquivalentTo(new FleetSettings(FleetPlatform.SageMaker, "ml.inf2.xlarge", "llama-3.1-8b-instruct", "llm-cost-prod-fleet", 2000, 0.7m, null, null,
            new FleetServingSettings("meta-llama/Llama-3.1-8B-Instruct", null, null, 128, 3600, 3600, 4, 15_000, [])),
            options => options.Excluding(f => f.Throughput));
        fleet.Throughput.Configured.Should().BeTrue("the only default of tokensPerSecondPerInstance is a published benchmark, and none exists for inf2.xlarge");
    }

    [Fact]
    public void Pricing_Omitted_Defaults()
    {
        DevWith(("llm-cost:pricing", null)).Pricing.Should().Be(new PricingSettings(PricingSource.Live, 24, 20));
    }

    [Fact]
    public void Demand_Omitted_Defaults()
    {
        var demand = DevWith(("llm-cost:demand", null)).Demand;

        demand.HourlyRequestsPerSecond.Should().BeNull();
        demand.BaselineRequestsPerSecond.Should().Be(0.1m);
        demand.PeakRequestsPerSecond.Should().Be(0.1m, "the peak defaults to the baseline");
        (demand.PeakStartHour, demand.PeakEndHour, demand.PeakWeekdaysOnly).Should().Be((8, 20, true));
        (demand.InputTokensPerRequest, demand.OutputTokensPerRequest).Should().Be((1000, 300));
        demand.RouteShares.Should().Equal(new Dictionary<string, decimal> { ["small"] = 1m }, "all on dev's first auto-routing tier");
        (demand.Uncertainty, demand.MeanLatencySeconds).Should().Be((0.25m, 2m));
        demand.HistoryFile.Should().BeNull();
    }

    [Fact]
    public void KeyPaths_NameWhereEachRouteAndAppIsDeclared()
    {
        var prod = Repo.Settings("prod");

        // stacks/Pulumi.prod.yaml: routes small, small-bedrock, medium, large; apps support-bot, search, internal-tools.
        prod.Routes.Select(r => r.Key).Should().Equal("llm-cost:routes[0]", "llm-cost:routes[1]", "llm-cost:routes[2]", "llm-cost:routes[3]");
        prod.Apps.Select(a => a.Key).Should().Equal("llm-cost:apps[0]", "llm-cost:apps[1]", "llm-cost:apps[2]");
        RouterSettings.KeyOf("reservedConcurrency").Should().Be("llm-cost:router.reservedConcurrency");
    }
}
