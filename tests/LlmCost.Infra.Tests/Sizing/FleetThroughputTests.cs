using LlmCost.Infra.Cli;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Tests.Sizing;

/// <summary>The fleet's throughput: configured, or the embedded benchmark's at the stack's request shape; the plan says which, and flags a figure the evidence argues against.</summary>
public sealed class FleetThroughputTests
{
    /// <summary>prod's fleet (stacks/Pulumi.prod.yaml) on another size, without a configured throughput.</summary>
    private static string Fleet(string instanceType, string? throughput = null) => $$"""
        {"platform":"sagemaker","instanceType":"{{instanceType}}","modelName":"llama-3.1-8b-instruct",{{(throughput is null ? "" : $"\"tokensPerSecondPerInstance\":{throughput},")}}
         "baselineInstances":1,"maxInstances":4,"huggingFaceModelId":"meta-llama/Llama-3.1-8B-Instruct"}
        """;

    private static StackSettings Prod(string fleet, string? demand = null) => StackSettingsReader.Read(demand is null
        ? Repo.ConfigWith("prod", ("llm-cost:fleet", fleet))
        : Repo.ConfigWith("prod", ("llm-cost:fleet", fleet), ("llm-cost:demand", demand)));

    [Fact]
    public void WithoutAConfiguredFigure_TheBenchmarkOfThisModelAndSizeIsUsed_AtTheStacksRequestShape()
    {
        var fleet = Prod(Fleet("ml.inf2.48xlarge")).Fleet!;

        // Llama 3.1 8B on inf2.48xlarge: 777.57 output tokens/s (optimum-neuron, 2025-06-05); prod asks 700 input and
        // 250 output tokens per request: 777.57 x (700 + 250) / 250 = 2954.766 -> 2954.
        fleet.TokensPerSecondPerInstance.Should().Be(2954);
        fleet.Throughput.Configured.Should().BeFalse();
        fleet.Throughput.Benchmark!.Source.Should().Contain("llama3.1-8b/tgi-results.csv").And.Contain("148350c0");
    }

    [Fact]
    public void AConfiguredFigure_Wins()
    {
        var fleet = Prod(Fleet("ml.inf2.48xlarge", "5000")).Fleet!;

        fleet.TokensPerSecondPerInstance.Should().Be(5000);
        fleet.Throughput.Configured.Should().BeTrue();
    }

    [Fact]
    public void ASizeWithoutAPublishedBenchmark_NeedsTheKey_AndTheErrorNamesIt()
    {
        var act = () => Prod(Fleet("ml.inf2.xlarge"));

        act.Should().Throw<ConfigError>()
            .WithMessage("*llm-cost:fleet.tokensPerSecondPerInstance*is required*no published figure for llama-3.1-8b-instruct (meta-llama/Llama-3.1-8B-Instruct) on inf2.xlarge*");
    }

    [Fact]
    public void AnUnknownModel_NeedsTheKey()
    {
        var act = () => Prod(Fleet("ml.inf2.48xlarge").Replace("llama-3.1-8b-instruct", "my-model", StringComparison.Ordinal).Replace("meta-llama/Llama-3.1-8B-Instruct", "acme/my-model", StringComparison.Ordinal));

        act.Should().Throw<ConfigError>().WithMessage("*llm-cost:fleet.tokensPerSecondPerInstance*no published figure for my-model (acme/my-model) on inf2.48xlarge*");
    }

    [Fact]
    public void ThePlan_SaysTheDefaultWasUsed_AndWhichBenchmark()
    {
        var text = PlanRenderer.Render(Repo.Synthesize(Prod(Fleet("ml.inf2.48xlarge"))));

        text.Should().Contain("fleet sizing (ml.inf2.48xlarge, 2954 tokens/s per instance at 70 % target)")
            .And.Contain("  throughput: default from the embedded benchmark table (as of 2026-11-28): 777.57 output tokens/s on inf2.48xlarge")
            .And.Contain("= 2954 input and output tokens/s at this stack's 700 input / 250 output tokens per request (llm-cost:demand), taking serving as output-bound");
    }

    [Fact]
    public void ProdsPlan_SaysItsFigureIsConfigured_AndFlagsIt_AgainstThePublishedBenchmarkPerNeuronCore()
    {
        var costs = Repo.Costs(Repo.Settings("prod"));
        var text = PlanRenderer.Render(Repo.Synthesize("prod"));

        text.Should().Contain("  throughput: configured (llm-cost:fleet.tokensPerSecondPerInstance)");
        // prod: 2000 tokens/s on ml.inf2.xlarge (2 NeuronCores) = 1000 per core; the 48xlarge benchmark at prod's shape
        // is 2954 on 24 cores = 123.08 per core; 1000 / 123.08 = 8.12.
        costs.Warnings.Should().ContainSingle(w => w.StartsWith("llm-cost:fleet.tokensPerSecondPerInstance 2000 is 1000 per NeuronCore on 2 cores, 8.1x the 123 per NeuronCore", StringComparison.Ordinal));
    }

    [Fact]
    public void AConfiguredFigureNearThePublishedOne_IsNotFlagged()
    {
        // Same size as the benchmark: 2954 at prod's shape; 4000 is 1.35x, under the 1.5x flag.
        var costs = Repo.Costs(Prod(Fleet("ml.inf2.48xlarge", "4000")));

        costs.Warnings.Should().NotContain(w => w.Contains("tokensPerSecondPerInstance", StringComparison.Ordinal));
    }

    [Fact]
    public void PromptsLongerThanTheBenchmarks_AreFlagged()
    {
        var demand = """{"baselineRequestsPerSecond":2,"peakRequestsPerSecond":5,"inputTokensPerRequest":3000,"outputTokensPerRequest":250,"routeShares":{"small":0.7,"medium":0.25,"large":0.05}}""";
        var settings = Prod(Fleet("ml.inf2.48xlarge"), demand);

        // 777.57 x (3000 + 250) / 250 = 10108.41 -> 10108
        settings.Fleet!.TokensPerSecondPerInstance.Should().Be(10108);
        Repo.Costs(settings).Warnings.Should().Contain(w => w.Contains("it was measured with 1500-token prompts and this stack's average is 3000", StringComparison.Ordinal));
    }

    [Fact]
    public void TheTable_IsDated_CitesACommitAndDatePerRow_AndHasOneRowPerModelAndSize()
    {
        NeuronThroughput.AsOf.Should().MatchRegex(@"^\d{4}-\d{2}-\d{2}$");
        foreach (var row in NeuronThroughput.Table)
        {
            row.Source.Should().MatchRegex(@"^huggingface/optimum-neuron \S+\.csv \(commit [0-9a-f]{8}, \d{4}-\d{2}-\d{2}\)$");
            LlmCost.Infra.Components.Fleet.NeuronCores.Of(row.InstanceSize).Should().BePositive();
        }

        NeuronThroughput.Table.SelectMany(r => r.Models.Select(m => (m.ToLowerInvariant(), r.InstanceSize))).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void ADefaultMeasuredOnAnotherServingSetUp_IsInDoubt_AndThePlanRecommendsNothingOnIt()
    {
        // Llama 3.1 8B's row: 3 TGI servers of 8 NeuronCores at batch 32; the fleet on ml.inf2.48xlarge runs one
        // server on 24 NeuronCores at batch 4 (the default batchSize).
        var costs = Repo.Costs(Prod(Fleet("ml.inf2.48xlarge")));

        costs.Warnings.Should().Contain("the fleet's default throughput (2954 tokens/s per instance) may not hold: it was measured on 3 TGI server(s) of 8 NeuronCores at batch 32, and this fleet runs one server on 24 NeuronCores at batch 4 (llm-cost:fleet.batchSize). "
            + "Until the fleet is load-tested (llm-cost:fleet.tokensPerSecondPerInstance with throughputEvidence), the plan recommends no fleet option");
        costs.Evidence.CanRecommend.Should().BeFalse();
    }

    [Fact]
    public void ADefaultMeasuredOnTheFleetsOwnSetUp_IsNotInDoubt()
    {
        // Llama 3 70B's row: one TGI server on all 24 NeuronCores of an inf2.48xlarge at batch 4, as this fleet runs it.
        // The Hugging Face ID decides over the served name (which prod's routes use).
        var fleet = Fleet("ml.inf2.48xlarge").Replace("meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Meta-Llama-3-70B-Instruct", StringComparison.Ordinal);
        var settings = Prod(fleet);

        // 22.48 x (700 + 250) / 250 = 85.424 -> 85
        settings.Fleet!.TokensPerSecondPerInstance.Should().Be(85);
        Repo.Costs(settings).Warnings.Should().NotContain(w => w.Contains("throughput", StringComparison.Ordinal));
    }

    [Fact]
    public void TheOutputBoundConversion_StopsAtTheConfigKeysLimit()
    {
        // 777.57 x (2,000,000 + 1) / 1 is far beyond what one instance serves and what the key accepts.
        NeuronThroughput.Table[0].TokensPerSecondAt(2_000_000, 1).Should().Be(1_000_000);
    }
}
