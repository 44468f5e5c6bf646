using LlmCost.Infra.Cli;
using LlmCost.Infra.Stack;

namespace LlmCost.Infra.Tests.Sizing;

public sealed class FleetDecisionTests
{
    [Fact]
    public void Prod_ComparesTheWholeOptions_AndRecommendsTheCheapestAllowed()
    {
        var decision = Repo.Costs(Repo.Settings("prod")).Decision!;

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
        var prod = Repo.Settings("prod");
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
    public void ProdWithAFleet_OnlyItsThroughputFlagged_InThePlanWarningsOutput()
    {
        var outputs = ProgramQuery.Of(Repo.Synthesize("prod").Program).Root["outputs"]!.AsObject();

        outputs["planWarnings"]!.AsArray().Should().ContainSingle().Which!.GetValue<string>().Should().StartWith("llm-cost:fleet.tokensPerSecondPerInstance 2000 is 1000 per NeuronCore");
        outputs["fleetDecision"]!["recommended"]!.GetValue<string>().Should().Be("fleet + SageMaker 1yr No Upfront");
    }
}
