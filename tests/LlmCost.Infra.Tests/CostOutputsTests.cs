using LlmCost.Infra.Cli;

namespace LlmCost.Infra.Tests;

public sealed class CostOutputsTests
{
    [Fact]
    public void ProdWithAFleet_OutputsCarryRecommendationForecastBreakEvenAndPricing()
    {
        var stack = Repo.Synthesize(Repo.ProdMeasured());
        var outputs = ProgramQuery.Of(stack.Program).Root["outputs"]!;
        var plan = stack.Costs.SavingsPlans!.Recommended!;

        var recommendation = outputs["savingsPlanRecommendation"]!;
        recommendation["planType"]!.GetValue<string>().Should().Be(plan.PlanType);
        recommendation["termYears"]!.GetValue<int>().Should().Be(plan.TermYears);
        recommendation["paymentOption"]!.GetValue<string>().Should().Be(plan.PaymentOption);
        recommendation["hourlyCommitmentUsd"]!.GetValue<decimal>().Should().Be(plan.HourlyCommitment);
        recommendation["expectedMonthlySavingsUsd"]!.GetValue<decimal>().Should().Be(plan.MonthlySavingsUsd);
        recommendation["note"]!.GetValue<string>().Should().Contain("never purchases");

        outputs["forecastMonthlyUsd"]!["p50"]!.GetValue<decimal>().Should().Be(stack.Costs.Forecast.P50.Total);
        outputs["forecastMonthlyUsd"]!["p90"]!.GetValue<decimal>().Should().BeGreaterThan(outputs["forecastMonthlyUsd"]!["p50"]!.GetValue<decimal>());
        outputs["breakEven"]!["cheaper"]!.GetValue<string>().Should().Be(stack.Costs.BreakEven!.FleetIsCheaper ? "fleet" : "bedrock");
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
        var synthesized = Repo.Synthesize(stack);
        var table = ProgramQuery.Of(synthesized.Program).Output("routerPriceTable")!;
        var document = ProgramQuery.Document(ProgramQuery.Of(synthesized.Program).Properties("router-function")["environment"]!["variables"]!["LLM_COST_ROUTER_CONFIG"]);

        foreach (var configured in synthesized.Costs.Routes)
        {
            var route = configured;
            table[route.Route]!["inputUsdPer1M"]!.GetValue<decimal>().Should().Be(route.Prices.InputPer1M);
            table[route.Route]!["outputUsdPer1M"]!.GetValue<decimal>().Should().Be(route.Prices.OutputPer1M);
            table[route.Route]!["priceSource"]!.GetValue<string>().Should().Be(route.Origin.ToString());
            document["routes"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == route.Route)!["prices"]!["inputPer1M"]!.GetValue<decimal>()
                .Should().Be(route.Prices.InputPer1M);
        }
    }

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
