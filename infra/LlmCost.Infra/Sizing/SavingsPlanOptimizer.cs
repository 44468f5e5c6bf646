namespace LlmCost.Infra.Sizing;

/// <summary>
/// The cost-minimising hourly Savings Plan commitment for an hourly usage profile.
/// With discount d (plan rate = (1 - d) x on-demand) a commitment c covers x = c / (1 - d) of usage each hour, and
/// the hour costs c + max(0, u - x). The total is convex and piecewise linear in c: one more dollar of commitment
/// costs 1 every hour and saves 1 / (1 - d) in each hour whose usage exceeds x. So the continuous optimum covers
/// the usage level exceeded in at most a fraction (1 - d) of hours; commitments are bought in $0.001 steps, and
/// by convexity the best step is one of the two around that optimum.
/// </summary>
public static class SavingsPlanOptimizer
{
    /// <summary>AWS accepts hourly commitments in steps of $0.001.</summary>
    public const decimal CommitmentStep = 0.001m;

    public readonly record struct Result(decimal HourlyCommitment, decimal TotalCost, decimal OnDemandCost);

    /// <summary>Total cost of the hours at commitment <paramref name="commitment"/>.</summary>
    public static decimal Cost(IReadOnlyList<decimal> hourlyOnDemandUsage, decimal discount, decimal commitment)
    {
        var covered = commitment / (1m - discount);
        var total = 0m;
        foreach (var usage in hourlyOnDemandUsage)
        {
            total += commitment + Math.Max(0m, usage - covered);
        }

        return total;
    }

    public static Result Optimise(IReadOnlyList<decimal> hourlyOnDemandUsage, decimal discount)
    {
        if (discount is <= 0m or >= 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(discount), discount, "A Savings Plan discount is between 0 and 1 (exclusive).");
        }

        var onDemand = hourlyOnDemandUsage.Sum();
        var sorted = hourlyOnDemandUsage.Order().ToArray();
        var n = sorted.Length;

        // Smallest level x in the data with #{u > x} <= (1 - d) n: beyond it, more commitment stops paying.
        var x = 0m;
        for (var i = 0; i < n; i++)
        {
            var above = n - UpperBound(sorted, sorted[i]);
            if (above <= (1m - discount) * n)
            {
                x = Math.Max(0m, sorted[i]);
                break;
            }
        }

        var continuous = x * (1m - discount);
        var lower = Math.Floor(continuous / CommitmentStep) * CommitmentStep;
        var upper = lower + CommitmentStep;
        var lowerCost = Cost(hourlyOnDemandUsage, discount, lower);
        var upperCost = Cost(hourlyOnDemandUsage, discount, upper);
        return upperCost < lowerCost
            ? new Result(upper, upperCost, onDemand)
            : new Result(lower, lowerCost, onDemand);
    }

    /// <summary>Index of the first element greater than <paramref name="value"/> in a sorted array.</summary>
    private static int UpperBound(decimal[] sorted, decimal value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
