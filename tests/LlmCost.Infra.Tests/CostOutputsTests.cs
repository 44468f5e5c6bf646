using LlmCost.Infra.Cli;

namespace LlmCost.Infra.Tests;

public sealed class CostOutputsTests
{
    [Fact]
    public void ProdWithAFleet_OutputsCarryRecommendationForecastBreakEvenAndPricing()
    {
        var stack = Repo.Synthesize(Repo.ProdMeasured());
        var outputs = ProgramQuery.Of(stack.Program).Root["outputs"]!;

        // Demand from config goes no further than 1-year No Upfront; SageMaker's discount for it is 0.25 (snapshot).
        // The commitment covers prod's baseline, 2 x ml.inf2.xlarge at 0.99/h: 1.98 x (1 - 0.25) = 1.485 USD/h, which
        // saves 1.98 x 0.25 = 0.495 USD every hour of the month: 0.495 x 730 = 361.35 USD.
        var recommendation = outputs["savingsPlanRecommendation"]!;
        recommendation["planType"]!.GetValue<string>().Should().Be("SageMaker");
        recommendation["termYears"]!.GetValue<int>().Should().Be(1);
        recommendation["paymentOption"]!.GetValue<string>().Should().Be("No Upfront");
        recommendation["hourlyCommitmentUsd"]!.GetValue<decimal>().Should().Be(1.485m);
        recommendation["expectedMonthlySavingsUsd"]!.GetValue<decimal>().Should().Be(361.35m);
        recommendation["note"]!.GetValue<string>().Should().Contain("never purchases");

        // The median month is the sum of its printed lines (each line's own arithmetic is tested where it is computed).
        var forecast = outputs["forecastMonthlyUsd"]!;
        forecast["p50"]!.GetValue<decimal>().Should().Be(forecast["p50ByComponent"]!.AsObject().Sum(l => l.Value!.GetValue<decimal>()));
        forecast["p90"]!.GetValue<decimal>().Should().BeGreaterThan(forecast["p50"]!.GetValue<decimal>());
        // The fleet is expected to serve 2000 tokens/s x 3600 s x 0.7 = 5.04M tokens per instance-hour, above the 0.99 / 0.22
        // = 4.5M at which an instance-hour costs what Llama 3.1 8B on Bedrock does.
        outputs["breakEven"]!["cheaper"]!.GetValue<string>().Should().Be("fleet");
        outputs["pricingSource"]!.GetValue<string>().Should().Be("snapshot");
        outputs["pricingAsOf"]!.GetValue<string>().Should().Be("2026-09-30");
        outputs["fleetSizing"]!["minInstances"]!.GetValue<int>().Should().Be(2);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void RouterPriceTable_MatchesThePlansPrices(string stack)
    {
        var program = ProgramQuery.Of(Repo.Synthesize(stack).Program);
        var table = program.Output("routerPriceTable")!;
        var document = ProgramQuery.Document(program.Properties("router-function")["environment"]!["variables"]!["LLM_COST_ROUTER_CONFIG"]);

        table.AsObject().Select(r => r.Key).Should().Equal(StackFileLiterals.Routes(stack));
        foreach (var (route, input, output) in StackFileLiterals.RoutePrices(stack))
        {
            table[route]!["inputUsdPer1M"]!.GetValue<decimal>().Should().Be(input, route);
            table[route]!["outputUsdPer1M"]!.GetValue<decimal>().Should().Be(output, route);
            table[route]!["priceSource"]!.GetValue<string>().Should().Be("snapshot 2026-09-30: " + SnapshotSource(stack, route), route);
            document["routes"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == route)!["prices"]!["inputPer1M"]!.GetValue<decimal>()
                .Should().Be(input, route);
        }
    }

    /// <summary>Each route's figure's source, as price-snapshot.json words it (every stack prices offline from the 2026-09-30 snapshot).</summary>
    private static string SnapshotSource(string stack, string route) => (stack, route) switch
    {
        (_, "small") when stack != "prod" => "AWS Price List AmazonBedrock us-east-1 offer, 2026-06-11 (quoted by the sim Bedrock validation note)",
        (_, "medium") => "AWS Price List AmazonBedrock us-east-1 offer, 2026-09-30",
        ("staging", "large") => "Anthropic pricing as quoted by the sim Bedrock validation note, 2026-06-11: 1/5 global, +10% for geographic (us.) profiles; cache read 0.1x, write 1.25x input (Marketplace-billed; not in the Price List API)",
        // The fleet route: ml.inf2.xlarge's hourly price, spread over prod's tokensPerSecondPerInstance at its targetUtilisation.
        ("prod", "small") => "FMBench pricing.yml, 2025-01-26; $0.99/h spread over 2000 tokens/s at 70 %",
        ("prod", "small-bedrock") => "AWS Price List AmazonBedrock us-east-1 offer, 2026-06-11 (USE1-Llama3-1-8B)",
        ("prod", "large") => "Anthropic pricing as quoted by the sim Bedrock validation note, 2026-06-11: 3/15 global, +10% for geographic (us.) profiles; cache read 0.1x, write 1.25x input (Marketplace-billed; not in the Price List API)",
        _ => throw new ArgumentOutOfRangeException(nameof(route), $"{stack}/{route}"),
    };

    [Fact]
    public void DevOutputs_HaveNoSavingsPlanWithoutAFleet()
    {
        var outputs = ProgramQuery.Of(Repo.Synthesize("dev").Program).Root["outputs"]!.AsObject();

        outputs.ContainsKey("savingsPlanRecommendation").Should().BeFalse();
        outputs.ContainsKey("fleetSizing").Should().BeFalse();
        outputs.ContainsKey("forecastMonthlyUsd").Should().BeTrue();
    }

    [Fact]
    public void Plan_Prod_ShowsOptionsSideBySideWithTheRecommendedMarked()
    {
        var plan = PlanRenderer.Render(Repo.Synthesize(Repo.ProdMeasured())).Split('\n');

        var options = plan.SkipWhile(l => !l.StartsWith("Savings Plan options", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("  recommended", StringComparison.Ordinal)).ToList();
        options.Should().HaveCount(6);
        options.Count(l => l.StartsWith("  ->", StringComparison.Ordinal)).Should().Be(1);
        plan.Should().Contain(l => l.StartsWith("monthly forecast (USD;", StringComparison.Ordinal));
        plan.Should().Contain(l => l.StartsWith("break-even: small (fleet", StringComparison.Ordinal));
    }

    [Fact]
    public void Prices_ShowEveryFigureWithItsOrigin()
    {
        var settings = Repo.Settings("prod");
        var text = PriceRenderer.Render(settings, Repo.Costs(settings)).Split('\n');

        text[0].Should().Be("prices for stack prod in us-east-1: source snapshot");
        text.Where(l => l.StartsWith("  ", StringComparison.Ordinal)).Should().OnlyContain(l => l.Contains("[snapshot 2026-09-30: ", StringComparison.Ordinal));
        text.Should().Contain(l => l.Contains("SageMaker", StringComparison.Ordinal) && l.Contains("ESTIMATE", StringComparison.Ordinal));
    }
}
