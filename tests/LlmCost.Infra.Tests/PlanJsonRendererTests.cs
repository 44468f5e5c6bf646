using System.Text.Json.Nodes;
using LlmCost.Infra.Cli;

namespace LlmCost.Infra.Tests;

public sealed class PlanJsonRendererTests
{
    [Fact]
    public void Prod_AsJson_CarriesTheDocumentedFields()
    {
        var json = JsonNode.Parse(PlanJsonRenderer.Render(Repo.Synthesize("prod")))!;

        json["schemaVersion"]!.GetValue<int>().Should().Be(1);
        json["stack"]!.GetValue<string>().Should().Be("prod");
        json["pricing"]!["source"]!.GetValue<string>().Should().Be("snapshot");
        json["pricing"]!["asOf"]!.GetValue<string>().Should().Be("2026-09-30");
        json["demand"]!["basis"]!.GetValue<string>().Should().Be("config");
        json["demand"]!["history"].Should().BeNull();
        // 108 hours at 3 rps and 60 at 12 a week, x 730/168.
        json["demand"]!["requestsPerMonth"]!.GetValue<decimal>().Should().Be(16_331_143m);
        // prod's throughput is 8x the published benchmark's per NeuronCore and not stated as measured: what-ifs only.
        json["evidence"]!["reach"]!.GetValue<string>().Should().Be("none");
        json["warnings"]!.AsArray().Should().HaveCount(2).And.Contain(w => w!.GetValue<string>().StartsWith("llm-cost:fleet.tokensPerSecondPerInstance 2000 is 1000 per NeuronCore", StringComparison.Ordinal));
        json["fleet"]!["tokensPerSecondPerInstance"]!.GetValue<int>().Should().Be(2000);
        json["fleet"]!["throughputSource"]!.GetValue<string>().Should().Be("configured");
        json["notes"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Contain("fleet: each ml.inf2.xlarge instance has a 128 GB volume, billed as SageMaker ML storage while it runs: in the forecast's fleet line, not in the whole decision against Bedrock");
        json["fleet"]!["minInstances"]!.GetValue<int>().Should().Be(2);
        json["fleet"]!["overflowShare"]!.GetValue<decimal>().Should().Be(0m);
        json["savingsPlans"]!["options"]!.AsArray().Should().HaveCount(6);
        json["savingsPlans"]!["options"]!.AsArray().Count(o => o!["recommended"]!.GetValue<bool>()).Should().Be(0);
        json["decision"]!["options"]![0]!["name"]!.GetValue<string>().Should().Be("all on Bedrock");
        json["decision"]!["options"]![0]!["monthlyUsd"]!.GetValue<decimal>().Should().Be(2389.25m);
        json["decision"]!["recommended"].Should().BeNull();
        json["breakEven"]!["onDemandTokensPerInstanceHour"]!.GetValue<decimal>().Should().Be(4_500_000m);
        // With no commitment allowed the fleet is priced on demand, above Bedrock (2,477.83 against 2,389.25 a month).
        json["breakEven"]!["cheaper"]!.GetValue<string>().Should().Be("bedrock");
        json["forecast"]!["p90Basis"]!.GetValue<string>().Should().StartWith("P90 from the configured demand.uncertainty 0.25");
        // 477.875285 USD per 1M requests x 16,331,142.857 requests = 7,804.2495; x 1.371 = 10,699.6261; a third each (PlanRendererTests).
        var budgets = json["appBudgets"]!;
        budgets["routerMonthlyUsdP50"]!.GetValue<decimal>().Should().Be(7804.25m);
        budgets["routerMonthlyUsdP90"]!.GetValue<decimal>().Should().Be(10699.63m);
        budgets["apps"]!.AsArray().Select(a => (a!["app"]!.GetValue<string>(), a["budgetUsd"]!.GetValue<decimal>(), a["shareP50Usd"]!.GetValue<decimal>(),
                a["shareP90Usd"]!.GetValue<decimal>(), a["belowP50Share"]!.GetValue<bool>(), a["belowP90Share"]!.GetValue<bool>(), a["refusedAfterDay"]?.GetValue<int>()))
            .Should().Equal(
                ("support-bot", 6000m, 2601.42m, 3566.54m, false, false, (int?)null),
                ("search", 3000m, 2601.42m, 3566.54m, false, true, null),
                ("internal-tools", 1000m, 2601.42m, 3566.54m, true, true, 11));
    }
}
