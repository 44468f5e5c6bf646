using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Tests.Sizing;

public sealed class SavingsPlanOptimizerTests
{
    /// <summary>Every commitment AWS would sell, in $0.001 steps, up to the one that covers the peak.</summary>
    private static decimal BruteForce(IReadOnlyList<decimal> usage, decimal discount)
    {
        var best = SavingsPlanOptimizer.Cost(usage, discount, 0m);
        var top = usage.DefaultIfEmpty(0m).Max() * (1m - discount);
        for (var c = SavingsPlanOptimizer.CommitmentStep; c <= top + SavingsPlanOptimizer.CommitmentStep; c += SavingsPlanOptimizer.CommitmentStep)
        {
            best = Math.Min(best, SavingsPlanOptimizer.Cost(usage, discount, c));
        }

        return best;
    }

    public static TheoryData<string, decimal> Profiles()
    {
        var data = new TheoryData<string, decimal>();
        foreach (var name in new[] { "flat", "diurnal", "spiky", "all-zero", "baseline-2-burst-10" })
        {
            foreach (var discount in new[] { 0.25m, 0.53m, 0.72m })
            {
                data.Add(name, discount);
            }
        }

        for (var seed = 1; seed <= 12; seed++)
        {
            data.Add($"random-{seed}", new[] { 0.2m, 0.35m, 0.5m, 0.64m }[seed % 4]);
        }

        return data;
    }

    private const decimal Hourly = 0.99m;

    internal static IReadOnlyList<decimal> Profile(string name)
    {
        var hours = Enumerable.Range(0, 168);
        return name switch
        {
            "flat" => hours.Select(_ => 3 * Hourly).ToList(),
            "diurnal" => hours.Select(h => (h % 24) is >= 8 and < 20 ? 6 * Hourly : 2 * Hourly).ToList(),
            "spiky" => hours.Select(h => h % 37 == 0 ? 12 * Hourly : 1 * Hourly).ToList(),
            "all-zero" => hours.Select(_ => 0m).ToList(),
            "baseline-2-burst-10" => hours.Select(h => h / 24 < 5 && (h % 24) is >= 10 and < 14 ? 10 * Hourly : 2 * Hourly).ToList(),
            _ when name.StartsWith("random-", StringComparison.Ordinal) => Random(int.Parse(name[7..], System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new ArgumentException(name),
        };
    }

    private static List<decimal> Random(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 168).Select(_ => Math.Round((decimal)random.NextDouble() * 7.5m, 4)).ToList();
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Optimise_CostEqualsBruteForceToTheCent(string profile, decimal discount)
    {
        var usage = Profile(profile);

        var result = SavingsPlanOptimizer.Optimise(usage, discount);

        Math.Round(result.TotalCost, 2).Should().Be(Math.Round(BruteForce(usage, discount), 2));
        result.TotalCost.Should().Be(SavingsPlanOptimizer.Cost(usage, discount, result.HourlyCommitment));
        (result.HourlyCommitment % SavingsPlanOptimizer.CommitmentStep).Should().Be(0m);
    }

    [Fact]
    public void Optimise_BaselineOfTwoBurstingToTen_CommitsToCoverTheBaseline()
    {
        // 2 instances all week, 10 for four hours each weekday (20 of 168 hours); SageMaker 1yr No Upfront prior.
        var usage = Profile("baseline-2-burst-10");
        const decimal discount = 0.25m;

        var result = SavingsPlanOptimizer.Optimise(usage, discount);

        // Covers exactly 2 instances: 2 x $0.99 x (1 - 0.25) = $1.485/h; bursting hours stay on demand.
        result.HourlyCommitment.Should().Be(1.485m);
        (result.HourlyCommitment / (1m - discount)).Should().Be(2 * Hourly);
        result.TotalCost.Should().BeLessThan(result.OnDemandCost);
    }

    [Fact]
    public void Optimise_AllZero_CommitsNothing()
    {
        var result = SavingsPlanOptimizer.Optimise(Profile("all-zero"), 0.4m);

        result.Should().Be(new SavingsPlanOptimizer.Result(0m, 0m, 0m));
    }

    [Fact]
    public void Optimise_BurstsInMostHours_CoverTheLevelExceededInAtMostOneMinusDOfHours()
    {
        // Usage is 5 in 60% of hours and 2 in the rest. Covering the upper level pays only when 60% > 1 - d.
        var usage = Enumerable.Range(0, 100).Select(h => h < 60 ? 5m : 2m).ToList();

        SavingsPlanOptimizer.Optimise(usage, 0.5m).HourlyCommitment.Should().Be(2.5m);    // 60% > 50%: cover 5 x 0.5
        SavingsPlanOptimizer.Optimise(usage, 0.3m).HourlyCommitment.Should().Be(1.4m);    // 60% <= 70%: cover 2 x 0.7
        SavingsPlanOptimizer.Optimise(usage, 0.35m).HourlyCommitment.Should().Be(1.3m);   // 60% <= 65%: cover 2 x 0.65
    }

    [Fact]
    public void Optimise_InvalidDiscount_Throws()
    {
        var act = () => SavingsPlanOptimizer.Optimise([1m], 1m);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
