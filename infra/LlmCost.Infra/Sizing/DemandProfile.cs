using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing.History;

namespace LlmCost.Infra.Sizing;

/// <summary>
/// Requests per second, hour by hour, and the mean tokens per request: the one shape of demand every sizing step
/// reads. Configured demand is one week (168 hours from Monday 00:00 UTC) standing for every week; a request
/// history is every hour it spans, so the Savings Plan is sized on the hours that really happened. A history's
/// first and last hours are only partly covered: <see cref="HourWeights"/> says how much of each hour counts, and
/// its hours carry their own tokens per request.
/// </summary>
internal sealed record DemandProfile(IReadOnlyList<decimal> RequestsPerSecondByHour, decimal InputTokensPerRequest, decimal OutputTokensPerRequest, string Source)
{
    public const int HoursPerWeek = 168;

    /// <summary>A month as AWS bills it: 730 hours.</summary>
    public const decimal HoursPerMonth = 730m;

    /// <summary>Fraction of each hour the demand stands for (null: every hour whole, as configured demand is).</summary>
    public IReadOnlyList<decimal>? HourWeights { get; init; }

    /// <summary>Each hour's own mean tokens per request (null: the overall mean every hour).</summary>
    public IReadOnlyList<decimal>? TokensPerRequestByHour { get; init; }

    /// <summary>What the history covers; null for demand from config, which is an assumption, not an observation.</summary>
    public HistoryCoverage? History { get; init; }

    public decimal TokensPerRequest => InputTokensPerRequest + OutputTokensPerRequest;

    public decimal Weight(int hour) => HourWeights?[hour] ?? 1m;

    public decimal TokensPerSecond(int hour) => RequestsPerSecondByHour[hour] * (TokensPerRequestByHour?[hour] ?? TokensPerRequest);

    /// <summary>The hours the profile stands for: its hour count, less the uncovered parts of a history's edge hours.</summary>
    public decimal CoveredHours => HourWeights?.Sum() ?? RequestsPerSecondByHour.Count;

    /// <summary>How many months the profile's covered hours make: monthly figures are weighted totals over the profile times this.</summary>
    public decimal MonthsPerProfile => CoveredHours == 0 ? 0 : HoursPerMonth / CoveredHours;

    public decimal RequestsPerMonth => RequestsPerSecondByHour.Select((r, h) => r * 3600m * Weight(h)).Sum() * MonthsPerProfile;

    /// <summary>A weighted total over the hours (per-hour values times the share of the hour they stand for).</summary>
    public decimal WeightedSum(IReadOnlyList<decimal> perHour) => perHour.Select((v, h) => v * Weight(h)).Sum();

    public DemandProfile Scaled(decimal factor) =>
        this with { RequestsPerSecondByHour = RequestsPerSecondByHour.Select(r => r * factor).ToList(), Source = $"{Source} x{factor:0.###}" };

    public static DemandProfile FromSettings(DemandSettings demand)
    {
        if (demand.HourlyRequestsPerSecond is { } hourly)
        {
            return new DemandProfile(hourly, demand.InputTokensPerRequest, demand.OutputTokensPerRequest, "hour-of-week profile from config");
        }

        var rates = new decimal[HoursPerWeek];
        for (var hour = 0; hour < HoursPerWeek; hour++)
        {
            var weekday = hour / 24 < 5;
            var hourOfDay = hour % 24;
            var peak = hourOfDay >= demand.PeakStartHour && hourOfDay < demand.PeakEndHour && (weekday || !demand.PeakWeekdaysOnly);
            rates[hour] = peak ? demand.PeakRequestsPerSecond : demand.BaselineRequestsPerSecond;
        }

        return new DemandProfile(rates, demand.InputTokensPerRequest, demand.OutputTokensPerRequest,
            $"baseline {demand.BaselineRequestsPerSecond} rps, peak {demand.PeakRequestsPerSecond} rps {demand.PeakStartHour:00}-{demand.PeakEndHour:00} UTC{(demand.PeakWeekdaysOnly ? " weekdays" : "")}");
    }
}
