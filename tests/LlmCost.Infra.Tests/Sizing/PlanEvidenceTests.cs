using LlmCost.Infra.Cli;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Sizing.History;
using LlmCost.Infra.Stack;

namespace LlmCost.Infra.Tests.Sizing;

public sealed class PlanEvidenceTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>2,000 requests at irregular times over 58 minutes with irregular token counts (a fixed linear congruential sequence).</summary>
    private static List<HistoricalRequest> IrregularTrace(DateTimeOffset start)
    {
        var state = 12345UL;
        int Next(int bound)
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            return (int)((state >> 33) % (ulong)bound);
        }

        return Enumerable.Range(0, 2000).Select(_ => new HistoricalRequest(start.AddMilliseconds(Next(3_480_000)), 200 + Next(1300), 50 + Next(400))).ToList();
    }

    private static CostPlan Plan(DemandProfile demand)
    {
        var settings = Repo.ProdMeasured();
        return CostPlanner.Plan(settings, Repo.Costs(settings).Prices, demand);
    }

    [Fact]
    public void AHistoryShiftedByAQuarterHour_ForecastsTheSameMonth()
    {
        var trace = IrregularTrace(Monday.AddHours(10));
        var shifted = trace.Select(r => r with { Timestamp = r.Timestamp.AddMinutes(15) });

        var onTheHour = Plan(UsageHistory.ToProfile(trace, "trace"));
        var quarterPast = Plan(UsageHistory.ToProfile(shifted, "shifted"));

        // One clock hour touched against two: counting touched hours as whole ones would halve the month.
        quarterPast.Demand.RequestsPerSecondByHour.Should().HaveCount(2);
        quarterPast.Demand.RequestsPerMonth.Should().BeApproximately(onTheHour.Demand.RequestsPerMonth, onTheHour.Demand.RequestsPerMonth * 0.02m);
        quarterPast.Forecast.P50.Total.Should().BeApproximately(onTheHour.Forecast.P50.Total, onTheHour.Forecast.P50.Total * 0.02m);
    }

    [Fact]
    public void OneHourOfHistory_RecommendsNothingAndSaysWhy()
    {
        var settings = Repo.ProdMeasured();
        var costs = Plan(UsageHistory.ToProfile(IrregularTrace(Monday.AddHours(10)), "one-hour.csv"));

        costs.Evidence.CanRecommend.Should().BeFalse();
        costs.SavingsPlans!.Recommended.Should().BeNull();
        costs.Decision!.Recommended.Should().BeNull();
        costs.SavingsPlans.Options.Should().HaveCount(6, "the options are still shown, as what-ifs");
        var text = PlanRenderer.Render(LlmCostStack.Synthesize(settings, costs, new BundleLocator(Repo.Root))).Split('\n');
        text.Should().Contain(l => l.StartsWith("advice rests on: 0.9", StringComparison.Ordinal) && l.EndsWith(" hours of history; what-ifs only: a recommendation needs at least 7 days of history (a weekly pattern)", StringComparison.Ordinal));
        text.Should().Contain(l => l.StartsWith("history: one-hour.csv, 2,000 requests from 2026-11-02 10:00", StringComparison.Ordinal));
        text.Should().Contain("  recommended: none (what-ifs only: a recommendation needs at least 7 days of history (a weekly pattern))");
    }

    [Fact]
    public void FourWeeksWithAClearBaseline_RecommendAOneYearNoUpfrontPlan_AndP90FromTheWeeks()
    {
        // 150 requests an hour, 500 in weekday hours 08-20; weeks at x1, x1.1, x0.9, x1. One record stands for
        // 100 requests' tokens, so a 2-instance baseline needs few records.
        var scale = new[] { 10, 11, 9, 10 };
        var requests = new List<HistoricalRequest>();
        for (var hour = 0; hour < 28 * 24; hour++)
        {
            var day = hour / 24 % 7;
            var peak = day < 5 && hour % 24 is >= 8 and < 20;
            var count = (peak ? 50 : 15) * scale[hour / 168];
            requests.AddRange(Enumerable.Range(0, count).Select(i => new HistoricalRequest(Monday.AddHours(hour).AddSeconds(3600.0 * i / count), 70_000, 25_000)));
        }

        var costs = Plan(UsageHistory.ToProfile(requests, "four-weeks"));

        costs.Evidence.Reach.Should().Be(CommitmentReach.OneYearNoUpfront);
        costs.Decision!.Recommended!.Plan.Should().NotBeNull();
        (costs.SavingsPlans!.Recommended!.TermYears, costs.SavingsPlans.Recommended.PaymentOption).Should().Be((1, "No Upfront"));
        // Weekly totals 1 : 1.1 : 0.9 : 1 have a coefficient of variation of 0.0816; its lognormal P90 is x1.1101.
        costs.Forecast.P90Basis.Should().StartWith("P90 from the spread of the history's 4 full weeks");
        costs.Forecast.P90DemandFactor.Should().BeApproximately(1.1101m, 0.002m);
    }

    private static DemandProfile WithHistory(decimal days, int longestGap = 0, int emptyHours = 0) =>
        new DemandProfile([1m], 700m, 250m, "h")
        {
            History = new HistoryCoverage(Monday, Monday.AddDays((double)days), 1000, days * 24m, (int)(days * 24), (int)(days * 24) - emptyHours, longestGap, longestGap == 0 ? null : Monday, []),
        };

    [Theory]
    [InlineData(6.9, 0, 0, nameof(CommitmentReach.None))]
    [InlineData(7, 0, 0, nameof(CommitmentReach.OneYearNoUpfront))]
    [InlineData(29.9, 0, 0, nameof(CommitmentReach.OneYearNoUpfront))]
    [InlineData(30, 0, 0, nameof(CommitmentReach.OneYear))]
    [InlineData(60, 0, 0, nameof(CommitmentReach.Any))]
    [InlineData(60, 73, 73, nameof(CommitmentReach.None))]
    [InlineData(60, 72, 72, nameof(CommitmentReach.Any))]
    [InlineData(10, 10, 121, nameof(CommitmentReach.None))]
    public void Evidence_FollowsTheDocumentedLookbacks(double days, int longestGap, int emptyHours, string expected)
    {
        CommitmentEvidence.For(WithHistory((decimal)days, longestGap, emptyHours)).Reach.Should().Be(Enum.Parse<CommitmentReach>(expected));
    }

    [Fact]
    public void Evidence_ConfigDemandIsAnAssumption_AtMostOneYearNoUpfront()
    {
        var evidence = CommitmentEvidence.For(DemandProfile.FromSettings(Repo.ProdMeasured().Demand));

        evidence.Reach.Should().Be(CommitmentReach.OneYearNoUpfront);
        evidence.Basis.Should().Contain("assumed");
    }
}
