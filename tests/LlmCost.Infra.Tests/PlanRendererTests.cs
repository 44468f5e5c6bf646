using LlmCost.Infra.Cli;

namespace LlmCost.Infra.Tests;

public sealed class PlanRendererTests
{
    [Fact]
    public void Render_Prod_GroupsByComponentAndNamesEveryPriceSource()
    {
        var plan = PlanRenderer.Render(Repo.Synthesize("prod"));
        var lines = plan.Split('\n');

        lines[0].Should().Be("llm-cost plan: stack prod in us-east-1 (settings from stacks/Pulumi.prod.yaml)");
        lines.Should().Contain(l => l.StartsWith("gateway (", StringComparison.Ordinal))
            .And.Contain(l => l.StartsWith("router (4)", StringComparison.Ordinal))
            .And.Contain(l => l.StartsWith("bedrock (", StringComparison.Ordinal));
        lines.Single(l => l.TrimStart().StartsWith("router-policy", StringComparison.Ordinal))
            .Should().EndWith("allows=logs:CreateLogStream,logs:PutLogEvents,bedrock:InvokeModel,dynamodb:GetItem,dynamodb:UpdateItem");
        // The fleet route, served by its Bedrock fallback (Llama 3.1 8B, 0.22/0.22) until a fleet is deployed, and saying so first.
        lines.Single(l => l.TrimStart().StartsWith("small ", StringComparison.Ordinal) && l.Contains("us.meta.llama3-1-8b-instruct-v1:0", StringComparison.Ordinal))
            .Should().Contain("0.22");
        lines.Take(12).Should().Contain(l => l.StartsWith("NOTE: route small is configured for the fleet", StringComparison.Ordinal), "near the top");
        var sources = lines.SkipWhile(l => !l.StartsWith("price sources (pricing: snapshot)", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.Length > 0).ToList();
        sources.Should().HaveCount(4).And.OnlyContain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"\b20\d\d-\d\d-\d\d\b"), "every price names its dated source");
        lines.Should().Contain(l => l.StartsWith("router bundle: ", StringComparison.Ordinal));
    }
}
