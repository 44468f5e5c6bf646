using LlmCost.Infra.Pricing;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Tests.Sizing;

public sealed class FleetAndForecastTests
{
    private static readonly FleetSettings Fleet = new(FleetPlatform.SageMaker, "ml.inf2.xlarge", "llama", "ep", 1000, 0.5m, null, null, new FleetServingSettings("meta-llama/Llama-3.1-8B-Instruct", null, null, 128, 3600, 3600, 4, 15_000, []));

    private static DemandProfile Week(Func<int, decimal> rps) =>
        new(Enumerable.Range(0, 168).Select(rps).ToList(), 700m, 300m, "test");

    [Fact]
    public void Size_InstancesPerHourAreCeilOfDemandOverCapacity()
    {
        // 1,000 tokens per request; capacity 1,000 tokens/s x 0.5 = 500 tokens/s per instance.
        var demand = Week(h => h < 84 ? 1.2m : 0.4m);

        var plan = FleetSizer.Size(demand, 1m, Fleet);

        plan.InstancesByHour.Take(84).Should().OnlyContain(n => n == 3);   // 1,200 / 500 = 2.4 -> 3
        plan.InstancesByHour.Skip(84).Should().OnlyContain(n => n == 1);   // 400 / 500 = 0.8 -> 1
        (plan.SizedMinInstances, plan.SizedMaxInstances).Should().Be((1, 3));
        plan.InstanceHoursPerMonth.Should().Be((84 * 3 + 84) * 730m / 168m);
        plan.OverflowShare.Should().Be(0m);
    }

    [Fact]
    public void Size_ConfiguredMaximumBelowPeak_SendsOverflowBeyondFullCapacityToFallback()
    {
        var demand = Week(_ => 3m);   // 3,000 tokens/s: wants 6 instances at 500 (the target); 2 serve 2,000 at full capacity

        var plan = FleetSizer.Size(demand, 1m, Fleet with { MaxInstances = 2 });

        plan.InstancesByHour.Should().OnlyContain(n => n == 2);
        plan.OverflowShare.Should().Be(1m / 3m);
        plan.AverageUtilisation.Should().Be(1m);
    }

    [Fact]
    public void Size_DemandAboveTargetButWithinFullCapacity_IsNotOverflow()
    {
        var demand = Week(_ => 1.5m);   // 1,500 tokens/s: above 2 x 500 at target, within 2 x 1,000 at full capacity

        var plan = FleetSizer.Size(demand, 1m, Fleet with { MaxInstances = 2 });

        plan.OverflowShare.Should().Be(0m);
        plan.AverageUtilisation.Should().Be(0.75m);
    }

    [Fact]
    public void Size_NoFleetTraffic_NoInstances()
    {
        FleetSizer.Size(Week(_ => 5m), 0m, Fleet).InstancesByHour.Should().OnlyContain(n => n == 0);
    }

    [Fact]
    public void P90Factor_IsLognormalQuantile()
    {
        // cv 0.25: sigma = sqrt(ln(1.0625)) = 0.246221; exp(1.281552 x 0.246221) = 1.370961.
        CostForecast.P90Factor(0.25m).Should().Be(1.3710m);
        CostForecast.P90Factor(0m).Should().Be(1m);
    }

    [Fact]
    public void Plan_ProdForecast_BedrockLineMatchesHandComputation()
    {
        var settings = Repo.Settings("prod");
        var costs = Repo.Costs(settings);
        var requests = costs.Demand.RequestsPerMonth;

        // medium (nova-lite 0.06/0.24) takes 25%, large (claude sonnet 4.5 via the us profile 3.30/16.50) 5%; 700 in, 250 out per request; no fleet overflow.
        var expected = (requests * 0.25m * ((700 * 0.06m) + (250 * 0.24m)) / 1_000_000m)
                       + (requests * 0.05m * ((700 * 3.3m) + (250 * 16.5m)) / 1_000_000m);
        costs.Forecast.P50[CostLineKind.Bedrock].Should().Be(Math.Round(expected, 2));
        costs.Forecast.P90.Total.Should().BeGreaterThan(costs.Forecast.P50.Total);
        costs.Fleet!.OverflowShare.Should().Be(0m);
    }

    [Fact]
    public void Plan_ProdGatewayAndLambdaLines_MatchHandComputation()
    {
        var costs = Repo.Costs(Repo.Settings("prod"));
        var requests = costs.Demand.RequestsPerMonth;

        costs.Forecast.P50[CostLineKind.Gateway].Should().Be(Math.Round(requests / 1_000_000m * 3.50m, 2));
        // 1,024 MB x 2.5 s per request at the arm64 GB-second price, plus $0.20 per million requests.
        costs.Forecast.P50[CostLineKind.Lambda].Should().Be(Math.Round((requests / 1_000_000m * 0.20m) + (requests * 1m * 2.5m * 0.0000133334m), 2));
    }

    [Fact]
    public void Plan_ProdWithAFleet_RecommendsASageMakerPlanCoveringTheBaseline()
    {
        var costs = Repo.Costs(Repo.ProdMeasured());

        var advice = costs.SavingsPlans!;
        advice.Options.Should().HaveCount(6).And.OnlyContain(o => o.PlanType == "SageMaker");
        // Demand from config is an assumption: 1-year No Upfront is the furthest it goes, though 3-year saves more.
        (advice.Recommended!.TermYears, advice.Recommended.PaymentOption).Should().Be((1, "No Upfront"));
        // The baseline is 2 instances of $0.99: every option commits to cover exactly that.
        advice.Options.Should().OnlyContain(o => Math.Abs((o.HourlyCommitment / (1m - o.Discount)) - (2 * 0.99m)) < 0.002m);
    }

    [Fact]
    public void Plan_DevWithoutFleet_HasNoSavingsPlanOrBreakEven()
    {
        var costs = Repo.Costs(Repo.Settings("dev"));

        costs.Fleet.Should().BeNull();
        costs.SavingsPlans.Should().BeNull();
        costs.BreakEven.Should().BeNull();
        costs.Forecast.P50[CostLineKind.Fleet].Should().Be(0m);
    }

    [Fact]
    public void BreakEven_TokensPerInstanceHourIsHourlyOverBedrockPrice()
    {
        var costs = Repo.Costs(Repo.Settings("prod"));

        // $0.99/h against Llama 3.1 8B on Bedrock at $0.22/1M: 4.5M tokens per instance-hour.
        costs.BreakEven!.TokensPerInstanceHour.Should().Be(4_500_000m);
        costs.BreakEven.BreakEvenUtilisation.Should().Be(0.625m);
    }
}

public sealed class HistorySizingTests
{
    [Fact]
    public void Plan_FromAHistoryOfTwoWeeks_SizesTheSavingsPlanOnEveryHourThatHappened()
    {
        // Two weeks of prod-like traffic at 2 instances' worth, with one 10-instance burst on a single afternoon.
        var settings = Repo.Settings("prod");
        var start = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        var requests = new List<HistoricalRequest>();
        for (var hour = 0; hour < 14 * 24; hour++)
        {
            var perHour = hour is >= 36 and < 40 ? 40_000 : 8_000;
            for (var i = 0; i < perHour; i += 100)
            {
                requests.Add(new HistoricalRequest(start.AddHours(hour).AddSeconds(i % 3600), 700 * 100, 250 * 100));
            }
        }

        var profile = UsageHistory.ToProfile(requests, "two weeks");
        var costs = CostPlanner.Plan(settings, PriceSnapshot.Embedded.Answer(new PriceQuery("us-east-1", ["meta.llama3-1-8b-instruct-v1:0", "amazon.nova-lite-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0"], FleetPlatform.SageMaker, "ml.inf2.xlarge")), profile);

        profile.RequestsPerSecondByHour.Should().HaveCount(14 * 24);
        costs.Fleet!.InstancesByHour.Should().HaveCount(14 * 24);
        costs.Fleet.InstancesByHour.Count(n => n > costs.Fleet.InstancesByHour.Min()).Should().Be(4, "the burst lasted four hours");
        var usage = costs.Fleet.InstancesByHour.Select(n => n * 0.99m).ToList();
        var weights = profile.HourWeights!;
        foreach (var option in costs.SavingsPlans!.Options)
        {
            // Exact on the real hours: the option's cost is the optimiser's on this very series, each hour by the share of it covered.
            var best = SavingsPlanOptimizer.Optimise(usage, 1m - (option.Rate / 0.99m), weights);
            option.HourlyCommitment.Should().Be(best.HourlyCommitment);
            option.MonthlyCostUsd.Should().Be(Math.Round(best.TotalCost * 730m / weights.Sum(), 2));
        }
    }

    [Fact]
    public void Prod_FleetForecast_IsTheRecommendedPlansCostPlusTheVolumesStorage()
    {
        // prod's week: 60 peak hours at 12 rps need ceil(12 x 950 x 0.7 / (2000 x 0.7)) = 6 instances, the other 108 hours
        // ceil(3 x 950 x 0.7 / 1400) = 2: 576 instance-hours a week. Storage: 576 x 730/168 instance-hours / 730 x 128 GB x
        // 0.14 USD per GB-month (snapshot) = 576 x 128 x 0.14 / 168 = 61.44 USD a month.
        var costs = Repo.Costs(Repo.ProdMeasured());

        (costs.Forecast.P50[CostLineKind.Fleet] - costs.SavingsPlans!.Recommended!.MonthlyCostUsd).Should().Be(61.44m);
        costs.Prices.Services[ServicePrices.SageMakerStoragePerGbMonth].PerUnit.Should().Be(0.14m);
    }
}
