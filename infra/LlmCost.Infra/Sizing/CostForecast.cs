namespace LlmCost.Infra.Sizing;

/// <summary>One month's cost by component at one demand level.</summary>
public sealed record MonthlyCost(decimal Bedrock, decimal Fleet, decimal Gateway, decimal Lambda, decimal Logs, decimal Analytics)
{
    public decimal Total => Bedrock + Fleet + Gateway + Lambda + Logs + Analytics;
}

/// <summary>
/// The monthly forecast as a range: P50 at the configured demand, taken as the median month; P90 at the demand a
/// lognormal month with that median and the configured uncertainty (coefficient of variation) stays under nine
/// times in ten. The fleet re-scales with demand;
/// the Savings Plan commitment stays what was bought for P50.
/// </summary>
public sealed record CostForecast(MonthlyCost P50, MonthlyCost P90, decimal P90DemandFactor, decimal RequestsPerMonthP50)
{
    /// <summary>z for the 90th percentile of a standard normal.</summary>
    private const double Z90 = 1.2815515655446004;

    public static decimal P90Factor(decimal uncertainty)
    {
        var sigma = Math.Sqrt(Math.Log(1 + (double)(uncertainty * uncertainty)));
        return Math.Round((decimal)Math.Exp(Z90 * sigma), 4);
    }
}
