namespace LlmCost.Infra.Diff;

/// <summary>The one line a reviewer reads first: "prod: monthly forecast +$1,240 (+18%), Savings Plan commitment +$0.42/h".</summary>
internal static class DiffSummary
{
    public static string Line(CostDiffReport r)
    {
        if (r.NewStack)
        {
            return $"{r.Stack}: new stack, monthly forecast {Money.Usd(r.MonthlyAfter, 0)} (P50), "
                + (r.CommitmentAfter == 0 ? "no Savings Plan commitment" : $"Savings Plan commitment {Money.Usd(r.CommitmentAfter)}/h")
                + Resources(r);
        }

        if (!r.Changed)
        {
            return $"{r.Stack}: no change (monthly forecast {Money.Usd(r.MonthlyAfter, 0)})";
        }

        var pct = Money.Percent(r.MonthlyBefore, r.MonthlyAfter);
        var commitment = r.CommitmentChange != 0
            ? $"Savings Plan commitment {Money.Signed(r.CommitmentChange)}/h"
            : r.CommitmentAfter == 0 ? "no Savings Plan commitment" : $"Savings Plan commitment unchanged ({Money.Usd(r.CommitmentAfter)}/h)";
        return $"{r.Stack}: monthly forecast {Money.SignedMonthly(r.MonthlyChange)}{(pct is null ? "" : $" ({pct})")}, {commitment}" + Resources(r);
    }

    private static string Resources(CostDiffReport r) => r.Resources switch
    {
        null => ", resources not compared (saved base plan)",
        { Count: 0 } => "",
        var list => $", resources: {list.Count(c => c.Kind == "added")} added, {list.Count(c => c.Kind == "removed")} removed, {list.Count(c => c.Kind == "changed")} changed",
    };
}
