namespace LlmCost.Infra.Sizing;

/// <summary>
/// One published serving benchmark of a model on an Inferentia2 instance: the whole instance's output tokens per
/// second at a stated load, and the request shape it was measured with.
/// </summary>
/// <param name="Models">Hugging Face model IDs and served-model names it applies to (compared without case).</param>
/// <param name="InstanceSize">The Inferentia2 size, without <c>ml.</c>: <c>inf2.48xlarge</c>.</param>
/// <param name="OutputTokensPerSecond">Output tokens per second over all concurrent requests, the whole instance (input tokens not counted).</param>
/// <param name="InputTokens">Mean prompt tokens per benchmark request.</param>
/// <param name="OutputTokens">Mean generated tokens requested per benchmark request.</param>
/// <param name="Load">How it was served and loaded, as the source states it.</param>
/// <param name="Source">Repository, path and commit (with its date) of the result file.</param>
/// <param name="Servers">TGI servers on the instance, each with <paramref name="CoresPerServer"/> NeuronCores and a compiled batch of <paramref name="BatchSize"/>.</param>
internal sealed record ThroughputBenchmark(
    IReadOnlyList<string> Models, string InstanceSize, decimal OutputTokensPerSecond, int InputTokens, int OutputTokens, string Load, string Source,
    int Servers, int CoresPerServer, int BatchSize)
{
    /// <summary>The most a default may be: the config key's own limit.</summary>
    public const int MaxTokensPerSecond = 1_000_000;

    /// <summary>
    /// What the planner counts (input and output tokens per second) at another request shape. Serving is taken as
    /// output-bound: an instance finishes as many requests a second as its output-token rate allows, and each
    /// request's prompt rides along (prefill is a small part of the time at these lengths). So a stack whose
    /// prompts are longer than the benchmark's gets a figure that may be too high; <see cref="PromptsLongerThanMeasured"/>
    /// says so.
    /// </summary>
    public int TokensPerSecondAt(int inputTokens, int outputTokens) =>
        (int)Math.Min(MaxTokensPerSecond, Math.Floor(OutputTokensPerSecond * (inputTokens + outputTokens) / outputTokens));

    /// <summary>Whether the fleet serves as the benchmark did: one server on all the instance's cores at the same batch.</summary>
    public bool SameSetUp(int fleetCores, int fleetBatchSize) => Servers == 1 && CoresPerServer == fleetCores && BatchSize == fleetBatchSize;

    public bool PromptsLongerThanMeasured(int inputTokens) => inputTokens > InputTokens;

    public string Describe() =>
        $"{OutputTokensPerSecond} output tokens/s on {InstanceSize} ({Load}; {InputTokens} input / {OutputTokens} output tokens per request), {Source}";
}

/// <summary>
/// Default fleet throughput per (model, Inferentia2 size), from public serving benchmarks of Hugging Face TGI on
/// Neuron, the server the fleet runs. Each figure is the highest measured throughput at which the median time to
/// first token stayed within <see cref="MaxTimeToFirstTokenSeconds"/> s: the capacity at which a chat user still sees
/// the answer start, not the saturated maximum. Only sizes with a published run are listed: no figure is scaled to
/// another instance size. Table as of <see cref="AsOf"/>; <c>llm-cost:fleet.tokensPerSecondPerInstance</c> overrides it.
/// <para>
/// Sources, all in huggingface/optimum-neuron (each run on an inf2.48xlarge, per the benchmark READMEs):
/// <list type="bullet">
/// <item>Llama 3.1 8B: <c>benchmark/text-generation-inference/performance/llama3.1-8b/tgi-results.csv</c>, commit
/// 148350c0 of 2025-06-05; guidellm, 1500±150 prompt and 250±20 generated tokens, up to 128 concurrent; three TGI
/// replicas of 8 NeuronCores, batch 32, bf16. Rows "asynchronous@5.17/5.01/5.14 req/sec" give 809.02, 777.57 and
/// 776.78 output tokens/s at 1.38, 1.36 and 1.46 s to first token (the "throughput" rows, 913.58 to 928.97, take
/// 7.2 to 7.8 s); the median run is listed.</item>
/// <item>Llama 3 8B: <c>benchmark/text-generation-inference/llama3-8b/tgi-results.csv</c>, commit 278d76c1 of
/// 2024-07-22; llmperf, 1500±150 prompt and 245±20 generated tokens; three TGI replicas of 8 NeuronCores, batch 32,
/// fp16. 128 concurrent: 838.26 output tokens/s, 1.51 s to first token (150 concurrent: 1.75 s, 849.25).</item>
/// <item>Mistral 7B Instruct v0.2: <c>benchmark/text-generation-inference/mistral-7b/tgi-results.csv</c>, commit
/// f9360898 of 2024-04-12; llmperf as above; three replicas, batch 32, bf16. 16 concurrent: 298.48, 1.05 s (32
/// concurrent: 2.09 s).</item>
/// <item>Llama 3 70B: <c>benchmark/text-generation-inference/llama3-70b-inf2.48xlarge/tgi-results.csv</c>, commit
/// 278d76c1 of 2024-07-22; llmperf as above; one replica on all 24 NeuronCores, batch 4, fp16. 1 concurrent: 22.48,
/// 1.20 s (8 concurrent: 4.93 s).</item>
/// </list>
/// No public run with a reliable figure exists for inf2.xlarge, inf2.8xlarge or inf2.24xlarge: a fleet on those
/// sizes states its throughput in config.
/// </para>
/// </summary>
internal static class NeuronThroughput
{
    public const string AsOf = "2026-11-28";

    public const decimal MaxTimeToFirstTokenSeconds = 2m;

    private const string Repository = "huggingface/optimum-neuron";

    public static readonly IReadOnlyList<ThroughputBenchmark> Table =
    [
        new(["meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Meta-Llama-3.1-8B-Instruct", "llama-3.1-8b-instruct"], "inf2.48xlarge", 777.57m, 1500, 250,
            "TGI, 3 replicas x 8 NeuronCores, batch 32, guidellm offering 5.01 requests/s, 1.36 s to first token",
            $"{Repository} benchmark/text-generation-inference/performance/llama3.1-8b/tgi-results.csv (commit 148350c0, 2025-06-05)", 3, 8, 32),
        new(["meta-llama/Meta-Llama-3-8B-Instruct", "NousResearch/Meta-Llama-3-8B-Instruct", "llama-3-8b-instruct"], "inf2.48xlarge", 838.26m, 1500, 245,
            "TGI, 3 replicas x 8 NeuronCores, batch 32, llmperf at 128 concurrent requests, 1.51 s to first token",
            $"{Repository} benchmark/text-generation-inference/llama3-8b/tgi-results.csv (commit 278d76c1, 2024-07-22)", 3, 8, 32),
        new(["mistralai/Mistral-7B-Instruct-v0.2", "mistral-7b-instruct-v0.2"], "inf2.48xlarge", 298.48m, 1500, 245,
            "TGI, 3 replicas x 8 NeuronCores, batch 32, llmperf at 16 concurrent requests, 1.05 s to first token",
            $"{Repository} benchmark/text-generation-inference/mistral-7b/tgi-results.csv (commit f9360898, 2024-04-12)", 3, 8, 32),
        new(["meta-llama/Meta-Llama-3-70B-Instruct", "NousResearch/Meta-Llama-3-70B-Instruct", "llama-3-70b-instruct"], "inf2.48xlarge", 22.48m, 1500, 245,
            "TGI, 1 replica on 24 NeuronCores, batch 4, llmperf at 1 concurrent request, 1.20 s to first token",
            $"{Repository} benchmark/text-generation-inference/llama3-70b-inf2.48xlarge/tgi-results.csv (commit 278d76c1, 2024-07-22)", 1, 24, 4),
    ];

    /// <summary>The benchmark for any of <paramref name="modelNames"/> on this size (<c>ml.</c> ignored); null when none was published.</summary>
    /// <remarks>Names are tried in order (the Hugging Face ID before the served name), so the most precise one decides.</remarks>
    public static ThroughputBenchmark? For(IEnumerable<string?> modelNames, string instanceType) =>
        Find(modelNames, b => b.InstanceSize == Size(instanceType));

    /// <summary>Any benchmark of the model, on whatever size: the nearest evidence for a size without its own.</summary>
    public static ThroughputBenchmark? AnySize(IEnumerable<string?> modelNames) => Find(modelNames, _ => true);

    public static string Size(string instanceType) => instanceType.StartsWith("ml.", StringComparison.Ordinal) ? instanceType[3..] : instanceType;

    /// <summary>The first row, among those <paramref name="where"/> admits, for the first name that has one.</summary>
    private static ThroughputBenchmark? Find(IEnumerable<string?> modelNames, Func<ThroughputBenchmark, bool> where) =>
        modelNames.Where(name => name is not null)
            .Select(name => Table.FirstOrDefault(b => where(b) && b.Models.Contains(name!, StringComparer.OrdinalIgnoreCase)))
            .FirstOrDefault(b => b is not null);
}

/// <summary>What the plan says about the fleet's throughput: which figure was used, and how it compares with the published ones.</summary>
internal static class FleetThroughputEvidence
{
    /// <summary>A configured figure this many times the published one (per NeuronCore across sizes) is flagged.</summary>
    public const decimal FlagRatio = 1.5m;

    public static string Basis(Settings.FleetSettings fleet, Settings.DemandSettings demand) => fleet.Throughput.Benchmark is { } b
        ? $"default from the embedded benchmark table (as of {NeuronThroughput.AsOf}): {b.Describe()}; = {fleet.TokensPerSecondPerInstance} input and output tokens/s at this stack's "
          + $"{demand.InputTokensPerRequest} input / {demand.OutputTokensPerRequest} output tokens per request (llm-cost:demand), taking serving as output-bound"
        : fleet.Throughput.Measured is { } measured ? $"configured (llm-cost:fleet.{Settings.FleetThroughput.Key}), measured: {measured}"
        : $"configured (llm-cost:fleet.{Settings.FleetThroughput.Key}), not stated as measured (llm-cost:fleet.{Settings.FleetThroughput.EvidenceKey})";

    /// <summary>
    /// Why the fleet's throughput may be wrong, when the evidence says so; null when it does not. Every fleet option's
    /// cost rests on it, so the plan then recommends nothing (<see cref="CommitmentEvidence"/>) and warns. In doubt:
    /// a default measured on another serving set-up (servers, cores, batch) or with shorter prompts than this stack's;
    /// a configured figure <see cref="FlagRatio"/> or more above the published one, not stated as measured.
    /// </summary>
    public static string? Doubt(Settings.FleetSettings fleet, Settings.DemandSettings demand)
    {
        if (fleet.Throughput.Benchmark is { } used)
        {
            var cores = Components.Fleet.NeuronCores.Of(fleet.InstanceType);
            var reasons = new List<string>();
            if (!used.SameSetUp(cores, fleet.Serving.BatchSize))
            {
                reasons.Add($"it was measured on {used.Servers} TGI server(s) of {used.CoresPerServer} NeuronCores at batch {used.BatchSize}, and this fleet runs one server on {cores} NeuronCores at batch {fleet.Serving.BatchSize} (llm-cost:fleet.batchSize)");
            }

            if (used.PromptsLongerThanMeasured(demand.InputTokensPerRequest))
            {
                reasons.Add($"it was measured with {used.InputTokens}-token prompts and this stack's average is {demand.InputTokensPerRequest} (longer prompts take longer to read)");
            }

            return reasons.Count == 0 ? null
                : $"the fleet's default throughput ({fleet.TokensPerSecondPerInstance} tokens/s per instance) may not hold: {string.Join("; ", reasons)}. "
                  + $"Until the fleet is load-tested (llm-cost:fleet.{Settings.FleetThroughput.Key} with {Settings.FleetThroughput.EvidenceKey}), the plan recommends no fleet option";
        }

        if (!fleet.Throughput.Configured || fleet.Throughput.Measured is not null || fleet.Throughput.Nearest is not { } nearest)
        {
            return null;
        }

        var published = nearest.TokensPerSecondAt(demand.InputTokensPerRequest, demand.OutputTokensPerRequest);
        var sameSize = nearest.InstanceSize == NeuronThroughput.Size(fleet.InstanceType);
        var configuredCores = Components.Fleet.NeuronCores.Of(fleet.InstanceType);
        var publishedCores = Components.Fleet.NeuronCores.Of(nearest.InstanceSize);
        var ratio = sameSize ? (decimal)fleet.TokensPerSecondPerInstance / published
            : (decimal)fleet.TokensPerSecondPerInstance / configuredCores / ((decimal)published / publishedCores);
        if (ratio < FlagRatio)
        {
            return null;
        }

        var comparison = sameSize
            ? $"{ratio:0.0}x the {published} of the published benchmark on the same size"
            : $"{(decimal)fleet.TokensPerSecondPerInstance / configuredCores:0} per NeuronCore on {configuredCores} cores, {ratio:0.0}x the {(decimal)published / publishedCores:0} per NeuronCore of the nearest published benchmark ({published} on {nearest.InstanceSize}; none is published for {NeuronThroughput.Size(fleet.InstanceType)})";
        return $"llm-cost:fleet.{Settings.FleetThroughput.Key} {fleet.TokensPerSecondPerInstance} is {comparison}, at this stack's {demand.InputTokensPerRequest} input / {demand.OutputTokensPerRequest} output tokens per request: "
            + $"{nearest.Describe()}. If the fleet serves less, it needs more instances and its price per token is higher than planned: until it is load-tested (llm-cost:fleet.{Settings.FleetThroughput.EvidenceKey}), the plan recommends no fleet option";
    }
}
