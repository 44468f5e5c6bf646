using LlmCost.Infra.Sizing;
using LlmCost.Infra.Sizing.History;

namespace LlmCost.Infra.Tests.Sizing;

public sealed class HistoryGapsAndStraysTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>One request every 30 s for two hours from Monday 10:00: 240 requests, covered 10:00 to 12:00.</summary>
    private static IEnumerable<HistoricalRequest> TwoBusyHours() =>
        Enumerable.Range(0, 240).Select(i => new HistoricalRequest(Monday.AddHours(10).AddSeconds(30 * i), 700, 250));

    [Fact]
    public void StrayRecordAYearEarly_IsReportedAndLeftOut()
    {
        var stray = new HistoricalRequest(Monday.AddYears(-1).AddHours(10), 700, 250);

        var clean = UsageHistory.ToProfile(TwoBusyHours(), "clean");
        var withStray = UsageHistory.ToProfile(TwoBusyHours().Prepend(stray), "stray");

        // 240 requests over 7,200 s, to 730 hours: 87,600 a month, with or without the stray.
        clean.RequestsPerMonth.Should().BeApproximately(87_600m, 0.001m);
        withStray.RequestsPerMonth.Should().BeApproximately(87_600m, 0.001m);
        withStray.History!.Strays.Should().ContainSingle().Which.Should().Be(new StrayRun(Monday.AddYears(-1).AddHours(10), Monday.AddYears(-1).AddHours(10), 1));
        withStray.History.Requests.Should().Be(240);
    }

    [Fact]
    public void StrayRecordAYearEarly_MovesThePlannedMonthByLessThanOnePercent_AndIsAWarning()
    {
        var settings = Repo.Settings("prod");
        var book = Repo.Costs(settings).Prices;
        var stray = new HistoricalRequest(Monday.AddYears(-1).AddHours(10), 700, 250);

        var clean = CostPlanner.Plan(settings, book, UsageHistory.ToProfile(TwoBusyHours(), "clean"));
        var withStray = CostPlanner.Plan(settings, book, UsageHistory.ToProfile(TwoBusyHours().Prepend(stray), "stray"));

        withStray.Forecast.P50.Total.Should().BeApproximately(clean.Forecast.P50.Total, clean.Forecast.P50.Total * 0.01m);
        withStray.Warnings.Should().Contain(w => w.StartsWith("1 stray request(s) set aside: 1 from 2025-11-02 10:00", StringComparison.Ordinal));
    }

    [Fact]
    public void SmallRunsAtTheEndsHoldingOnePercentOrMore_AreKept()
    {
        // Three requests a week later are 3 / 243 = 1.2 % of the history: not stray, so the span reaches them.
        var later = Enumerable.Range(0, 3).Select(i => new HistoricalRequest(Monday.AddDays(7).AddHours(10).AddMinutes(i), 700, 250));

        var profile = UsageHistory.ToProfile(TwoBusyHours().Concat(later), "h");

        profile.History!.Strays.Should().BeEmpty();
        profile.History.Requests.Should().Be(243);
        profile.History.HoursInSpan.Should().Be(7 * 24 + 1);
    }

    [Fact]
    public void GapsInsideTheSpan_AreCountedAndPlaced()
    {
        // Hours 0-9 and 50-59 from Monday 00:00, 60 requests each (one a minute): 40 empty hours from Monday 10:00.
        var requests = Enumerable.Range(0, 60).SelectMany(h => h is < 10 or >= 50
            ? Enumerable.Range(0, 60).Select(m => new HistoricalRequest(Monday.AddHours(h).AddMinutes(m), 700, 250))
            : []);

        var history = UsageHistory.ToProfile(requests, "gappy").History!;

        (history.HoursInSpan, history.HoursWithData, history.EmptyHours, history.LongestGapHours).Should().Be((60, 20, 40, 40));
        history.LongestGapStart.Should().Be(Monday.AddHours(10));
        history.Strays.Should().BeEmpty("each run holds half the requests");
    }
}
