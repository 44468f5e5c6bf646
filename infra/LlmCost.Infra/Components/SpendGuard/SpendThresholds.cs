using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Components.SpendGuard;

/// <summary>
/// What the alarms and the budget compare against, from the cost plan: the spend the router records (its
/// <c>costUsd</c> metric: tokens at the prices the router really uses) in the plan's busiest hour and busiest day,
/// at P90 demand, times the configured margin; the month at P90 for the budget. Config overrides win.
/// </summary>
/// <param name="ExpectedHourlyUsd">The plan's mean hour of router-recorded spend at P50: the dashboard's reference line.</param>
/// <param name="RouterMonthlyUsdP50">The router-recorded spend of the plan's median month at the prices the router uses.</param>
internal sealed record SpendThresholds(decimal HourlyUsd, decimal DailyUsd, decimal ExpectedHourlyUsd, decimal MonthlyBudgetUsd, string Basis, decimal RouterMonthlyUsdP50)
{
    public static SpendThresholds From(StackSettings settings, CostPlan costs)
    {
        var alerts = settings.Alerts;
        var perRequest = AppBudgetShares.RouterUsdPerRequest(settings, costs);
        var hourly = costs.Demand.RequestsPerSecondByHour.Select(rps => rps * 3600m * perRequest).ToList();
        var days = Enumerable.Range(0, Math.Max(1, hourly.Count / 24)).Select(d => hourly.Skip(d * 24).Take(24).Sum()).ToList();
        var p90 = costs.Forecast.P90DemandFactor;

        var hour = alerts.HourlySpendUsd ?? RoundUp(hourly.DefaultIfEmpty(0).Max() * p90 * alerts.SpendMargin);
        var day = alerts.DailySpendUsd ?? RoundUp(days.DefaultIfEmpty(0).Max() * p90 * alerts.SpendMargin);
        var routerMonth = Math.Round(perRequest * costs.Demand.RequestsPerMonth, 2);

        var month = alerts.MonthlyBudgetUsd ?? Math.Max(1m, Math.Ceiling(costs.Forecast.P90.Total));
        var expected = hourly.Count == 0 ? 0 : Math.Round(hourly.Average(), 4);
        var basis = $"busiest hour and day of the plan's demand ({costs.Demand.Source}) at the router's prices, x{p90:0.####} (P90) x{alerts.SpendMargin:0.##} (margin)";
        return new SpendThresholds(Math.Max(0.01m, hour), Math.Max(0.01m, day), expected, month, basis, routerMonth);
    }

    /// <summary>Up to the cent: a threshold rounded down would fire on the plan's own P90.</summary>
    private static decimal RoundUp(decimal usd) => Math.Ceiling(usd * 100m) / 100m;
}
