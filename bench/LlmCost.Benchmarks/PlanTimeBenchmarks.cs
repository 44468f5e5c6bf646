using BenchmarkDotNet.Attributes;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using LlmCost.CostModel.Vocabulary;

/// <summary>
/// What the compiler does for prod after the process starts: price, size, synthesize and print, on the embedded
/// snapshot and on a warm price cache (pricing.source live, cache fresh, so no network).
/// </summary>
[MemoryDiagnoser]
public class PlanTimeBenchmarks
{
    private string _project = "";
    private StackSettings _settings = null!;
    private string _cacheDir = "";

    [GlobalSetup]
    public void Setup()
    {
        _project = FindProject();
        _settings = StackSettingsReader.Read(StackFileReader.Read(_project, "prod"));
        _cacheDir = Directory.CreateTempSubdirectory("llm-cost-bench-cache-").FullName;
        var query = new PriceQuery(_settings.Region, _settings.Routes.Where(r => r.IsBedrock).Select(r => r.Model).Distinct().ToList(), _settings.Fleet?.Platform, _settings.Fleet?.InstanceType);
        new PriceCache(_cacheDir, TimeProvider.System).Write(query, PriceSnapshot.Embedded.Answer(query) with { Source = PriceOriginKind.Live });
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_cacheDir, recursive: true);

    [Benchmark(Baseline = true, Description = "prod on the snapshot")]
    public Task<int> Snapshot() => Run(PricingSource.Snapshot);

    [Benchmark(Description = "prod on a warm cache")]
    public Task<int> WarmCache() => Run(PricingSource.Live);

    private async Task<int> Run(PricingSource source)
    {
        string? Env(string name) => name == "LLM_COST_CACHE_DIR" ? _cacheDir : null;
        var costs = await StackPlanning.PlanAsync(_settings, _project, new PlanningOptions(source), Env, TimeProvider.System);
        var program = LlmCostStack.Synthesize(_settings, costs, new BundleLocator(_project)).Program;
        return ProgramWriter.Write(program).Length;
    }

    private static string FindProject()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from inside the llm-cost checkout.");
    }
}
