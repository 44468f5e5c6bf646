namespace LlmCost.Infra.Sizing;

/// <summary>
/// The P50 month spread over the hours of a typical week (168 values from Monday 00:00 UTC), for the pull-request
/// chart: the per-request lines (Bedrock, gateway, Lambda, logs, analytics) follow each hour's requests, the fleet
/// its sized instances. The hours of a month add up to the monthly forecast; it is a picture of the plan, not a
/// second forecast.
/// </summary>
internal static class WeekCurve
{
    public static IReadOnlyList<decimal> HourlyP50(CostPlan costs)
    {
        var demand = costs.Demand;
        var month = costs.Forecast.P50;
        var perRequest = month.Total - month[CostLineKind.Fleet];
        var fleet = costs.Fleet;
        var fleetHoursPerMonth = fleet is null ? 0m : fleet.InstancesByHour.Select((n, h) => n * demand.Weight(h)).Sum() * demand.MonthsPerProfile;
        var hours = new decimal[DemandProfile.HoursPerWeek];
        for (var h = 0; h < hours.Length; h++)
        {
            // A history profile may cover fewer hours than a week; an hour it lacks had no demand.
            var requests = h < demand.RequestsPerSecondByHour.Count ? demand.RequestsPerSecondByHour[h] * 3600m : 0m;
            var variable = demand.RequestsPerMonth == 0 ? 0m : perRequest * requests / demand.RequestsPerMonth;
            var instances = fleet is not null && h < fleet.InstancesByHour.Count ? fleet.InstancesByHour[h] : 0;
            var fixedPart = fleetHoursPerMonth == 0 ? month[CostLineKind.Fleet] / DemandProfile.HoursPerMonth : month[CostLineKind.Fleet] * instances / fleetHoursPerMonth;
            hours[h] = Math.Round(variable + fixedPart, 4);
        }

        return hours;
    }
}
