using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Sizing;

/// <summary>What a month's cost is made of; each kind's name is how plans, outputs and diffs label it.</summary>
internal enum CostLineKind
{
    Bedrock,
    Fleet,
    Gateway,
    Lambda,
    Logs,
    Analytics,
}

internal static class CostLineKinds
{
    public static readonly Vocabulary<CostLineKind> Vocabulary = new(
        (CostLineKind.Bedrock, "bedrock"), (CostLineKind.Fleet, "fleet"), (CostLineKind.Gateway, "gateway"),
        (CostLineKind.Lambda, "lambda"), (CostLineKind.Logs, "logs"), (CostLineKind.Analytics, "analytics"));

    public static string Name(this CostLineKind kind) => Vocabulary.Name(kind);
}

/// <summary>One part of a month's cost, in USD, with how it was reached (prices per request, per GB or per hour named as such).</summary>
internal sealed record CostLine(CostLineKind Kind, decimal Usd, string Basis);

/// <summary>One month's cost at one demand level: the lines the costing parts contribute, in a fixed order.</summary>
internal sealed record MonthlyCost(IReadOnlyList<CostLine> Lines)
{
    public decimal Total => Lines.Sum(l => l.Usd);

    /// <summary>A line's amount; 0 for a line this month does not have.</summary>
    public decimal this[CostLineKind kind] => Lines.FirstOrDefault(l => l.Kind == kind)?.Usd ?? 0m;
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

    /// <summary>Each line's P50 and P90 side by side, in the forecast's order.</summary>
    public IEnumerable<(CostLine P50, decimal P90)> Lines => P50.Lines.Select(l => (l, P90[l.Kind]));

    public static decimal P90Factor(decimal uncertainty)
    {
        var sigma = Math.Sqrt(Math.Log(1 + (double)(uncertainty * uncertainty)));
        return Math.Round((decimal)Math.Exp(Z90 * sigma), 4);
    }
}
