using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Sizing;

/// <summary>
/// Requests per second, hour by hour, and the mean tokens per request: the one shape of demand every sizing step
/// reads. Configured demand is one week (168 hours from Monday 00:00 UTC) standing for every week; a request
/// history is every hour it spans, so the Savings Plan is sized on the hours that really happened.
/// </summary>
public sealed record DemandProfile(IReadOnlyList<decimal> RequestsPerSecondByHour, decimal InputTokensPerRequest, decimal OutputTokensPerRequest, string Source)
{
    public const int HoursPerWeek = 168;

    /// <summary>A month as AWS bills it: 730 hours.</summary>
    public const decimal HoursPerMonth = 730m;

    public decimal TokensPerRequest => InputTokensPerRequest + OutputTokensPerRequest;

    /// <summary>How many months the profile's hours make: monthly figures are totals over the profile times this.</summary>
    public decimal MonthsPerProfile => RequestsPerSecondByHour.Count == 0 ? 0 : HoursPerMonth / RequestsPerSecondByHour.Count;

    public decimal RequestsPerMonth => RequestsPerSecondByHour.Sum() * 3600m * MonthsPerProfile;

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
