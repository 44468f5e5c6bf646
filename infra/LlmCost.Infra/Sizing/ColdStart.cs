using LlmCost.CostModel;

namespace LlmCost.Infra.Sizing;

/// <summary>
/// What a fleet that scales to zero pays each time it starts from zero: starts a month = hours of the profile where
/// the sized instances go from 0 to more (a configured week wraps around; a history's first hour is not a start),
/// times the profile's months. Per start: one instance billed for the start-up timeout before it serves (inside the
/// fleet line's instance-hours), the requests that arrive meanwhile served by the fleet routes' Bedrock fallback
/// (added to the forecast's Bedrock line), and, when it stops again, <see cref="Components.Fleet.ScaleToZero.IdleMinutes"/>
/// of an idle instance before the idle alarm stops it (added to the fleet line). Not counted: a start that needs
/// more than one task (the wake adds one per start-up time, and the rest of the first hour's fleet traffic also
/// falls back), and the instance's own launch before its task starts.
/// </summary>
/// <param name="StartsPerMonth">Starts from zero a month.</param>
/// <param name="StartupSeconds">The start-up timeout (<c>llm-cost:fleet.startupTimeoutSeconds</c>).</param>
/// <param name="InstanceHourlyUsd">The instance's on-demand hourly price.</param>
/// <param name="FallbackRequestsPerMonth">Fleet requests that arrive while the fleet starts, a month.</param>
/// <param name="FallbackUsdPerMonth">Those requests on the Bedrock fallback, at its prices: in the forecast's Bedrock line.</param>
/// <param name="UnservedRoutes">Fleet routes with no Bedrock fallback: their requests fail while the fleet starts.</param>
internal sealed record ColdStart(
    decimal StartsPerMonth,
    int StartupSeconds,
    decimal InstanceHourlyUsd,
    decimal FallbackRequestsPerMonth,
    decimal FallbackUsdPerMonth,
    IReadOnlyList<string> UnservedRoutes)
{
    public static decimal IdleTailHoursPerStop => Components.Fleet.ScaleToZero.IdleMinutes / 60m;

    public decimal StartingInstanceHoursPerStart => StartupSeconds / 3600m;

    public decimal StartingUsdPerStart => StartingInstanceHoursPerStart * InstanceHourlyUsd;

    /// <summary>Instance-hours billed while starting, a month: inside the instance-hours the fleet line already prices.</summary>
    public decimal StartingUsdPerMonth => StartsPerMonth * StartingUsdPerStart;

    /// <summary>The idle instance-hour after each stop's last request, a month: in the forecast's fleet line.</summary>
    public decimal IdleTailUsdPerMonth => StartsPerMonth * IdleTailHoursPerStop * InstanceHourlyUsd;

    public decimal FallbackUsdPerStart => StartsPerMonth == 0 ? 0 : FallbackUsdPerMonth / StartsPerMonth;

    public decimal FallbackRequestsPerStart => StartsPerMonth == 0 ? 0 : FallbackRequestsPerMonth / StartsPerMonth;

    /// <param name="fleetRoutes">Each fleet route's share of all requests and its Bedrock fallback's prices (null: none).</param>
    public static ColdStart For(FleetPlan fleet, DemandProfile demand, int startupSeconds, decimal instanceHourlyUsd,
        IReadOnlyList<(string Route, decimal Share, TokenPrices? Fallback)> fleetRoutes)
    {
        var hours = fleet.InstancesByHour.Count;
        // A configured week repeats, so its first hour follows its last; a history's first hour follows nothing known.
        var wraps = demand.History is null;
        var starts = Enumerable.Range(0, hours)
            .Where(h => fleet.InstancesByHour[h] > 0 && (h > 0 ? fleet.InstancesByHour[h - 1] == 0 : wraps && fleet.InstancesByHour[hours - 1] == 0))
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
        return new ColdStart(startsPerMonth, startupSeconds, instanceHourlyUsd, requests * months, usd * months,
            fleetRoutes.Where(r => r.Fallback is null).Select(r => r.Route).ToList());
    }
}
