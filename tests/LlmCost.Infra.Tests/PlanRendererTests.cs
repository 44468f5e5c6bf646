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
            .Should().EndWith("allows=logs:CreateLogStream+PutLogEvents,bedrock:InvokeModel+InvokeModelWithResponseStream,"
                + "sagemaker:InvokeEndpoint+InvokeEndpointWithResponseStream,dynamodb:GetItem+UpdateItem");
        // The fleet route goes to prod's endpoint at the fleet's price: 0.99 USD/h over 2000 tokens/s x 3600 x 0.7 -> 0.196429 per 1M.
        lines.Single(l => l.TrimStart().StartsWith("small ", StringComparison.Ordinal) && l.Contains("llm-cost-prod-fleet", StringComparison.Ordinal))
            .Should().Contain("fleet").And.Contain("0.196429").And.EndWith("small-bedrock");
        lines.Single(l => l.TrimStart().StartsWith("fleet-endpoint-config", StringComparison.Ordinal))
            .Should().Contain("instanceType=ml.inf2.xlarge initialInstanceCount=2 volumeSizeInGb=128");
        lines.Single(l => l.TrimStart().StartsWith("fleet-scaling-target", StringComparison.Ordinal)).Should().EndWith("minCapacity=2 maxCapacity=10");
        lines.Should().Contain("fleet: sagemaker ml.inf2.xlarge serving llama-3.1-8b-instruct on endpoint llm-cost-prod-fleet");
        var sources = lines.SkipWhile(l => !l.StartsWith("price sources (pricing: snapshot)", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.Length > 0).ToList();
        sources.Should().HaveCount(4).And.OnlyContain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"\b20\d\d-\d\d-\d\d\b"), "every price names its dated source");
        lines.Should().Contain(l => l.StartsWith("router bundle: ", StringComparison.Ordinal));
    }
}
