using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Tests.Sizing;

/// <summary>The forecast is the list of lines its costing parts contribute; renderers and outputs iterate over it.</summary>
public sealed class CostLineTests
{
    [Fact]
    public void Forecast_Lines_InOrder_EachWithABasisNamingItsUnit()
    {
        var forecast = Repo.Costs(Repo.Settings("prod")).Forecast;

        forecast.P50.Lines.Select(l => l.Kind.Name()).Should().Equal("bedrock", "fleet", "gateway", "lambda", "logs", "analytics");
        forecast.P50.Lines.Single(l => l.Kind == CostLineKind.Gateway).Basis.Should().Contain("per 1M requests");
        forecast.P50.Lines.Single(l => l.Kind == CostLineKind.Lambda).Basis.Should().Contain("per GB-second");
        forecast.P50.Lines.Single(l => l.Kind == CostLineKind.Logs).Basis.Should().Contain("per GB");
        forecast.P50.Total.Should().Be(forecast.P50.Lines.Sum(l => l.Usd));
    }

    [Fact]
    public void PlanJson_MonthHasOneKeyPerLinePlusTotal()
    {
        var plan = System.Text.Json.Nodes.JsonNode.Parse(Cli.PlanJsonRenderer.Render(Repo.Synthesize("dev")))!;

        plan["forecast"]!["p50"]!.AsObject().Select(p => p.Key).Should().Equal("bedrock", "fleet", "gateway", "lambda", "logs", "analytics", "total");
    }
}
