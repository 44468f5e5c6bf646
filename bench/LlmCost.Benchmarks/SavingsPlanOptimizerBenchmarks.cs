using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using LlmCost.Infra.Sizing;

/// <summary>The optimiser over a year of hourly usage (8,760 hours) for 20 instance types, as one plan would run it.</summary>
[MemoryDiagnoser]
public class SavingsPlanOptimizerBenchmarks
{
    private List<List<decimal>> _years = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _years = Enumerable.Range(0, 20).Select(type =>
        {
            var hourly = 0.5m + type;
            return Enumerable.Range(0, 8760).Select(h =>
            {
                var diurnal = (h % 24) is >= 8 and < 20 ? 3 : 1;
                var spike = random.Next(100) == 0 ? 4 : 0;
                return (diurnal + spike + random.Next(2)) * hourly;
            }).ToList();
        }).ToList();
    }

    [Benchmark(Description = "optimise 20 types x 8760 h")]
    public decimal OptimiseYearFor20Types()
    {
        var total = 0m;
        foreach (var year in _years)
        {
            total += SavingsPlanOptimizer.Optimise(year, 0.28m).TotalCost;
        }

        return total;
    }

    [Benchmark(Baseline = true, Description = "one cost evaluation, 20 types x 8760 h")]
    public decimal OneCostEvaluation()
    {
        var total = 0m;
        foreach (var year in _years)
        {
            total += SavingsPlanOptimizer.Cost(year, 0.28m, 1m);
        }

        return total;
    }
}
