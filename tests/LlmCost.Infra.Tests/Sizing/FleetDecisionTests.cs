using LlmCost.Infra.Cli;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;

namespace LlmCost.Infra.Tests.Sizing;

public sealed class FleetDecisionTests
{
    [Fact]
    public void Prod_ComparesTheWholeOptions_AndRecommendsTheCheapestAllowed()
    {
        var decision = Repo.Costs(Repo.ProdMeasured()).Decision!;

        // 16,331,142.86 requests a month (prod's week: 108 h at 3 rps, 60 at 12, x 730/168); small takes 70%,
        // 950 tokens each at Llama 3.1 8B's 0.22 USD/1M on Bedrock.
        decision.Bedrock!.MonthlyUsd.Should().Be(2389.25m);
        decision.Options.Select(o => o.Name).Should().StartWith(["all on Bedrock", "fleet on demand"]);
        decision.Options.Should().HaveCount(8);
        // Config demand is an assumption: only the 1-year No Upfront commitment may be recommended.
        decision.Recommended!.Name.Should().Be("fleet + SageMaker 1yr No Upfront");
        decision.Options.Where(o => o.Plan is { TermYears: 3 }).Should().OnlyContain(o => !o.Allowed && o.Needs == "needs 60 days");
        decision.Contradiction.Should().BeNull();
    }

    [Fact]
    public void AFleetDearerThanBedrock_IsFlaggedInThePlanAndAStackOutput_AndTheBreakEvenAgrees()
    {
        // A quarter of prod's throughput per instance: the fleet needs four times the instances and loses to Bedrock.
        var prod = Repo.ProdMeasured();
        var settings = prod with { Fleet = prod.Fleet! with { TokensPerSecondPerInstance = 500 } };
        var costs = Repo.Costs(settings);

        costs.Decision!.Recommended!.Name.Should().Be("all on Bedrock");
        costs.Decision.Recommended.MonthlyUsd.Should().Be(2389.25m);
        costs.SavingsPlans!.Recommended.Should().BeNull();
        costs.BreakEven!.FleetIsCheaper.Should().BeFalse();
        costs.Warnings.Should().ContainSingle(w => w.StartsWith("configuration contradicts", StringComparison.Ordinal)).Which.Should().StartWith("configuration contradicts the plan: the stack sends 70 % of requests (small) to the fleet, but all on Bedrock (small-bedrock) costs 2,389.25 USD/month");

        var stack = LlmCostStack.Synthesize(settings, costs, new BundleLocator(Repo.Root));
        var outputs = ProgramQuery.Of(stack.Program).Root["outputs"]!;
        outputs["planWarnings"]![0]!.GetValue<string>().Should().StartWith("configuration contradicts the plan");
        outputs["fleetDecision"]!["recommended"]!.GetValue<string>().Should().Be("all on Bedrock");
        outputs["breakEven"]!["cheaper"]!.GetValue<string>().Should().Be("bedrock");
        PlanRenderer.Render(stack).Split('\n').Take(8).Should().Contain(l => l.StartsWith("WARNING: configuration contradicts the plan", StringComparison.Ordinal));
    }

    [Fact]
    public void Prod_PlanWarningsOutput_FlagsItsThroughput_AndThatWithoutACommitmentBedrockIsCheaper()
    {
        var outputs = ProgramQuery.Of(Repo.Synthesize("prod").Program).Root["outputs"]!.AsObject();

        // Without a commitment the fleet costs 2,477.83 a month against 2,389.25 on Bedrock (prod's decision table:
        // fleet on demand and all on Bedrock), so the contradiction is stated, as not yet a recommendation.
        outputs["planWarnings"]!.AsArray().Select(w => w!.GetValue<string>()).Should().SatisfyRespectively(
            w => w.Should().Be("configuration contradicts the plan: on the evidence so far all on Bedrock (small-bedrock) would cost 2,389.25 USD/month against 2,477.83 for the fleet (fleet on demand); not yet a recommendation"),
            w => w.Should().StartWith("llm-cost:fleet.tokensPerSecondPerInstance 2000 is 1000 per NeuronCore"));
        outputs["fleetDecision"]!["recommended"]!.GetValue<string>().Should().Be("none", "prod's throughput is not stated as measured and the published benchmark contradicts it");
    }

    [Fact]
    public void Prod_WithAThroughputThePublishedBenchmarkContradicts_RecommendsNothing_AndSaysWhatWouldChangeThat()
    {
        var costs = Repo.Costs(Repo.Settings("prod"));
        var text = PlanRenderer.Render(Repo.Synthesize("prod"));

        costs.Evidence.CanRecommend.Should().BeFalse();
        costs.Decision!.Recommended.Should().BeNull();
        costs.SavingsPlans!.Recommended.Should().BeNull();
        text.Should().Contain("  recommended: none; what-ifs only: every fleet option rests on llm-cost:fleet.tokensPerSecondPerInstance, which the published benchmark contradicts (see the warning); load-test the fleet and set the measured figure with llm-cost:fleet.throughputEvidence saying how it was measured");
        text.Should().Contain("  throughput: configured (llm-cost:fleet.tokensPerSecondPerInstance), not stated as measured (llm-cost:fleet.throughputEvidence)");
    }

    [Fact]
    public void ThroughputStatedAsMeasured_IsNotComparedWithThePublishedOne_AndThePlanCitesIt()
    {
        var settings = Repo.ProdMeasured();
        var text = PlanRenderer.Render(Repo.Synthesize(settings));

        Repo.Costs(settings).Warnings.Should().NotContain(w => w.Contains("tokensPerSecondPerInstance", StringComparison.Ordinal));
        text.Should().Contain("  throughput: configured (llm-cost:fleet.tokensPerSecondPerInstance), measured: test: 2000 tokens/s per instance stated as measured");
    }

    [Fact]
    public void ThroughputEvidence_WithoutAConfiguredFigure_IsRefusedNamingTheKey()
    {
        var config = Repo.FleetWith("prod", "throughputEvidence", "llmperf, 32 users, 2026-10-02");
        var fleet = System.Text.Json.Nodes.JsonNode.Parse(config.Values["llm-cost:fleet"])!.AsObject();
        fleet.Remove("tokensPerSecondPerInstance");
        fleet["instanceType"] = "ml.inf2.48xlarge";

        var act = () => StackSettingsReader.Read(Repo.ConfigWith("prod", ("llm-cost:fleet", fleet.ToJsonString())));

        act.Should().Throw<ConfigError>().WithMessage("*llm-cost:fleet.throughputEvidence*describes a measured tokensPerSecondPerInstance, which is not set*");
    }
}
