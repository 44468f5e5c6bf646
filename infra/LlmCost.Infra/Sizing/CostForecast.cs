namespace LlmCost.Infra.Sizing;

/// <summary>One month's cost by component at one demand level.</summary>
internal sealed record MonthlyCost(decimal Bedrock, decimal Fleet, decimal Gateway, decimal Lambda, decimal Logs, decimal Analytics)
{
    public decimal Total => Bedrock + Fleet + Gateway + Lambda + Logs + Analytics;
}

/// <summary>
/// The monthly forecast as a range: P50 at the demand (configured, or the history's covered time extended to 730
/// hours), taken as the median month; P90 at the demand a lognormal month with that median stays under nine times
/// in ten, with the coefficient of variation <see cref="P90Basis"/> names (the history's own spread, or the
/// configured uncertainty). The fleet re-scales with demand; a recommended Savings Plan commitment stays what was
/// bought for P50.
/// </summary>
internal sealed record CostForecast(MonthlyCost P50, MonthlyCost P90, decimal P90DemandFactor, decimal RequestsPerMonthP50, string P90Basis)
{
    /// <summary>z for the 90th percentile of a standard normal.</summary>
    private const double Z90 = 1.2815515655446004;

    public static decimal P90Factor(decimal uncertainty)
    {
        var sigma = Math.Sqrt(Math.Log(1 + (double)(uncertainty * uncertainty)));
        return Math.Round((decimal)Math.Exp(Z90 * sigma), 4);
    }
}
