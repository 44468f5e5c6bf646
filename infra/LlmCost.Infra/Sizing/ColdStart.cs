using LlmCost.CostModel;

namespace LlmCost.Infra.Sizing;

/// <summary>
/// What a fleet that scales to zero pays each time it starts from zero: starts a month = hours of the profile where
/// the sized instances go from 0 to more (the profile wrapping around, as a week does), times the profile's months;
/// per start, one instance billed for up to the start-up timeout before it serves, and the requests that arrive
/// meanwhile served by the fleet routes' Bedrock fallback at its prices. Both per-start figures are upper bounds:
/// a start usually takes less than its timeout.
/// </summary>
/// <param name="StartsPerMonth">Starts from zero a month.</param>
/// <param name="StartupSeconds">The start-up timeout (<c>llm-cost:fleet.startupTimeoutSeconds</c>).</param>
/// <param name="InstanceHourlyUsd">The instance's on-demand hourly price.</param>
/// <param name="StartingUsdPerMonth">Instance-hours billed while starting, a month: inside the instance-hours the fleet line already prices.</param>
/// <param name="FallbackRequestsPerMonth">Fleet requests that arrive while the fleet starts, a month.</param>
/// <param name="FallbackUsdPerMonth">Those requests on the Bedrock fallback, at its prices: not in the forecast, which has the fleet serve them.</param>
/// <param name="UnservedRoutes">Fleet routes with no Bedrock fallback: their requests fail while the fleet starts.</param>
internal sealed record ColdStart(
    decimal StartsPerMonth,
    int StartupSeconds,
    decimal InstanceHourlyUsd,
    decimal StartingUsdPerMonth,
    decimal FallbackRequestsPerMonth,
    decimal FallbackUsdPerMonth,
    IReadOnlyList<string> UnservedRoutes)
{
    public decimal StartingInstanceHoursPerStart => StartupSeconds / 3600m;

    public decimal StartingUsdPerStart => StartingInstanceHoursPerStart * InstanceHourlyUsd;

    public decimal FallbackUsdPerStart => StartsPerMonth == 0 ? 0 : FallbackUsdPerMonth / StartsPerMonth;

    public decimal FallbackRequestsPerStart => StartsPerMonth == 0 ? 0 : FallbackRequestsPerMonth / StartsPerMonth;

    /// <param name="fleetRoutes">Each fleet route's share of all requests and its Bedrock fallback's prices (null: none).</param>
    public static ColdStart For(FleetPlan fleet, DemandProfile demand, int startupSeconds, decimal instanceHourlyUsd,
        IReadOnlyList<(string Route, decimal Share, TokenPrices? Fallback)> fleetRoutes)
    {
        var hours = fleet.InstancesByHour.Count;
        var starts = Enumerable.Range(0, hours)
            .Where(h => fleet.InstancesByHour[h] > 0 && fleet.InstancesByHour[(h + hours - 1) % hours] == 0)
            .ToList();
        var startSeconds = Math.Min(startupSeconds, 3600m);
        decimal requests = 0, usd = 0;
        foreach (var h in starts)
        {
            foreach (var (_, share, fallback) in fleetRoutes)
            {
                var arriving = demand.RequestsPerSecondByHour[h] * share * startSeconds;
                if (fallback is { } prices)
                {
                    requests += arriving;
                    usd += CostPlanner.TokenCost(prices, demand, arriving);
                }
            }
        }

        var months = demand.MonthsPerProfile;
        var startsPerMonth = starts.Count * months;
        return new ColdStart(startsPerMonth, startupSeconds, instanceHourlyUsd, startsPerMonth * startupSeconds / 3600m * instanceHourlyUsd,
            requests * months, usd * months, fleetRoutes.Where(r => r.Fallback is null).Select(r => r.Route).ToList());
    }
}
