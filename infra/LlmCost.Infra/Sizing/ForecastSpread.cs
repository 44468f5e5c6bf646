namespace LlmCost.Infra.Sizing;

/// <summary>
/// Where P90 comes from. With at least four full weeks of history, from the history's own spread: the coefficient of
/// variation of its full weeks' request totals, taken as a month's (a month is about four weeks, and weeks that move
/// together, as a trend makes them, do not average out). Otherwise from the configured <c>demand.uncertainty</c>,
/// an assumption. Either way P90 is the lognormal 90th percentile at that coefficient.
/// </summary>
internal static class ForecastSpread
{
    public const int MinWeeks = 4;

    public static (decimal Factor, string Basis) P90(DemandProfile demand, decimal configuredUncertainty)
    {
        var weeks = demand.History is null ? [] : FullWeekTotals(demand);
        if (weeks.Count < MinWeeks)
        {
            var why = demand.History is null ? "" : $"; the history has {weeks.Count} full week(s), its own spread needs {MinWeeks}";
            return (CostForecast.P90Factor(configuredUncertainty), $"P90 from the configured demand.uncertainty {configuredUncertainty:0.###} (an assumption{why})");
        }

        var mean = weeks.Average();
        var variance = weeks.Sum(w => (w - mean) * (w - mean)) / (weeks.Count - 1);
        var cv = mean == 0 ? 0 : (decimal)Math.Sqrt((double)variance) / mean;
        return (CostForecast.P90Factor(cv), $"P90 from the spread of the history's {weeks.Count} full weeks (coefficient of variation {cv:0.###})");
    }

    /// <summary>
    /// Requests in each run of 168 profile hours from the first, for runs covering at least 167 of them (a history's
    /// edge hours are partly covered), scaled to a whole week.
    /// </summary>
    private static List<decimal> FullWeekTotals(DemandProfile demand)
    {
        var totals = new List<decimal>();
        for (var start = 0; start + DemandProfile.HoursPerWeek <= demand.RequestsPerSecondByHour.Count; start += DemandProfile.HoursPerWeek)
        {
            var hours = Enumerable.Range(start, DemandProfile.HoursPerWeek).ToList();
            var covered = hours.Sum(demand.Weight);
            if (covered >= DemandProfile.HoursPerWeek - 1)
            {
                totals.Add(hours.Sum(h => demand.RequestsPerSecondByHour[h] * 3600m * demand.Weight(h)) * DemandProfile.HoursPerWeek / covered);
            }
        }

        return totals;
    }
}
