using System.Globalization;

namespace LlmCost.Infra.Diff;

/// <summary>Dollar amounts and changes as a reviewer reads them: "+$1,240", "-$0.42/h", "+18%".</summary>
internal static class Money
{
    public static string Usd(decimal amount, int decimals = 2) =>
        (amount < 0 ? "-$" : "$") + Math.Abs(Math.Round(amount, decimals)).ToString("N" + decimals, CultureInfo.InvariantCulture);

    public static string Signed(decimal change, int decimals = 2) =>
        (change > 0 ? "+" : change < 0 ? "-" : "±") + "$" + Math.Abs(Math.Round(change, decimals)).ToString("N" + decimals, CultureInfo.InvariantCulture);

    /// <summary>Whole dollars for monthly changes of $100 or more, cents below, so small stacks do not read as "+$0".</summary>
    public static string SignedMonthly(decimal change) => Signed(change, Math.Abs(change) >= 100 ? 0 : 2);

    /// <summary>The change as a share of the base; null when the base is zero (no meaningful percentage).</summary>
    public static string? Percent(decimal before, decimal after)
    {
        if (before == 0)
        {
            return null;
        }

        var pct = (after - before) / before * 100m;
        var decimals = Math.Abs(pct) < 1 ? 1 : 0;
        return (pct > 0 ? "+" : pct < 0 ? "-" : "±") + Math.Abs(Math.Round(pct, decimals)).ToString("N" + decimals, CultureInfo.InvariantCulture) + "%";
    }
}
