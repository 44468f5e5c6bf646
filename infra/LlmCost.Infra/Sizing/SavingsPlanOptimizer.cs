namespace LlmCost.Infra.Sizing;

/// <summary>
/// The cost-minimising hourly Savings Plan commitment for an hourly usage profile.
/// With discount d (plan rate = (1 - d) x on-demand) a commitment c covers x = c / (1 - d) of usage each hour, and
/// the hour costs c + max(0, u - x). The total is convex and piecewise linear in c: one more dollar of commitment
/// costs 1 every hour and saves 1 / (1 - d) in each hour whose usage exceeds x. So the continuous optimum covers
/// the usage level exceeded in at most a fraction (1 - d) of hours; commitments are bought in $0.001 steps, and
/// by convexity the best step is one of the two around that optimum.
/// </summary>
internal static class SavingsPlanOptimizer
{
    /// <summary>AWS accepts hourly commitments in steps of $0.001.</summary>
    public const decimal CommitmentStep = 0.001m;

    public readonly record struct Result(decimal HourlyCommitment, decimal TotalCost, decimal OnDemandCost);

    /// <summary>Total cost of the hours at commitment <paramref name="commitment"/>; each hour counts by its weight (default 1).</summary>
    public static decimal Cost(IReadOnlyList<decimal> hourlyOnDemandUsage, decimal discount, decimal commitment, IReadOnlyList<decimal>? weights = null)
    {
        var covered = commitment / (1m - discount);
        var total = 0m;
        for (var h = 0; h < hourlyOnDemandUsage.Count; h++)
        {
            total += (weights?[h] ?? 1m) * (commitment + Math.Max(0m, hourlyOnDemandUsage[h] - covered));
        }

        return total;
    }

    /// <summary>The optimum for hours that may count partly (a history's edge hours): the quantile is then by weight.</summary>
    public static Result Optimise(IReadOnlyList<decimal> hourlyOnDemandUsage, decimal discount, IReadOnlyList<decimal>? weights = null)
    {
        if (discount is <= 0m or >= 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(discount), discount, "A Savings Plan discount is between 0 and 1 (exclusive).");
        }

        var hours = hourlyOnDemandUsage.Select((u, h) => (Usage: u, Weight: weights?[h] ?? 1m)).OrderBy(p => p.Usage).ToArray();
        var onDemand = hours.Sum(p => p.Usage * p.Weight);
        var total = hours.Sum(p => p.Weight);

        // Smallest level x in the data whose hours above it weigh at most (1 - d) of all: beyond it, more commitment stops paying.
        var x = 0m;
        var atOrBelow = 0m;
        for (var i = 0; i < hours.Length; i++)
        {
            atOrBelow += hours[i].Weight;
            if (i + 1 < hours.Length && hours[i + 1].Usage == hours[i].Usage)
            {
                continue;
            }

            if (total - atOrBelow <= (1m - discount) * total)
            {
                x = Math.Max(0m, hours[i].Usage);
                break;
            }
        }

        var continuous = x * (1m - discount);
        var lower = Math.Floor(continuous / CommitmentStep) * CommitmentStep;
        var upper = lower + CommitmentStep;
        var lowerCost = Cost(hourlyOnDemandUsage, discount, lower, weights);
        var upperCost = Cost(hourlyOnDemandUsage, discount, upper, weights);
        return upperCost < lowerCost
            ? new Result(upper, upperCost, onDemand)
            : new Result(lower, lowerCost, onDemand);
    }
}
