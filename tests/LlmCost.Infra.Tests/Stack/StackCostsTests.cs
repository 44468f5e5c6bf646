using LlmCost.Infra.Components;
using LlmCost.Infra.Components.Analytics;
using LlmCost.Infra.Components.Fleet;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Tests.Components;

namespace LlmCost.Infra.Tests.Stack;

/// <summary>The forecast's lines come from the components that cost money, and from exactly those the stack holds.</summary>
public sealed class StackCostsTests
{
    public static TheoryData<string> Stacks => new(Repo.Stacks);

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Contributors_AreExactlyTheCostingComponentsOfTheSynthesizedStack(string stack) =>
        AssertContributorsMatchTree(Repo.Synthesize(stack));

    [Fact]
    public void Contributors_FollowTheFleetOntoEcs() =>
        AssertContributorsMatchTree(Repo.Synthesize(EcsFleetTests.ProdOnEcs()));

    [Fact]
    public void Contributors_LeaveOutAnalyticsWhenTheStackKeepsNone() =>
        AssertContributorsMatchTree(Repo.Synthesize(StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:analytics", "{\"enabled\": false}")))));

    [Fact]
    public void Prod_ContributesEachLineFromItsComponent_InThePlansOrder()
    {
        var contributors = StackCosts.Contributors(Repo.Settings("prod")).Select(c => c.Component);

        contributors.Should().Equal(typeof(BedrockAccess), typeof(SageMakerFleet), typeof(Gateway), typeof(RouterFunction), typeof(UsageAnalytics));
    }

    [Fact]
    public void Dev_WithoutAFleet_ShowsTheFleetLineAsNone()
    {
        var fleet = Repo.Costs(Repo.Settings("dev")).Forecast.P50.Lines.Single(l => l.Kind == CostLineKind.Fleet);

        fleet.Should().Be(new CostLine(CostLineKind.Fleet, 0m, "no fleet"));
    }

    [Fact]
    public void AStackWithoutAnalytics_ShowsTheAnalyticsLineAsNone()
    {
        var settings = StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:analytics", "{\"enabled\": false}")));

        Repo.Costs(settings).Forecast.P50.Lines.Single(l => l.Kind == CostLineKind.Analytics).Should().Be(new CostLine(CostLineKind.Analytics, 0m, "no analytics"));
    }

    private static void AssertContributorsMatchTree(SynthesizedStack synthesized)
    {
        var costing = synthesized.Components!.Descendants().Select(c => c.GetType()).Where(t => t.IsAssignableTo(typeof(ICostsMoney))).Distinct();

        StackCosts.Contributors(synthesized.Settings).Select(c => c.Component).Should().BeEquivalentTo(costing);
    }
}
