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

    [Fact]
    public void Render_Prod_EachAppsBudgetAgainstAnEqualShareOfTheRoutersForecastSpend()
    {
        var lines = PlanRenderer.Render(Repo.Synthesize("prod")).Split('\n');

        // The router's spend per request (SpendGuardTests): 477.875285 USD per 1M requests. P50 month: 108 h at 3 rps and
        // 60 h at 12 rps a week = 3,758,400 requests x 730/168 = 16,331,142.857 -> 7,804.2495 USD; P90 x 1.371 = 10,699.6261.
        // Three apps, no app shares in llm-cost:demand: each 7,804.2495 / 3 = 2,601.4165 -> 2,601.42, and
        // 10,699.6261 / 3 = 3,566.5420 -> 3,566.54. internal-tools' 1,000 lasts 1,000 / 2,601.4165 x 730/24 = 11.69 days.
        var section = lines.SkipWhile(l => !l.StartsWith("app budgets", StringComparison.Ordinal)).TakeWhile(l => l.Length > 0).ToList();
        section[0].Should().Be("app budgets (USD/month) against the router's forecast spend, 7,804.25 at P50 and 10,699.63 at P90; "
            + "share: an equal share per app of the router's forecast spend (llm-cost:demand splits requests by route, not by app)");
        section.Skip(2).Should().Equal(
            "  support-bot        6,000.00     2,601.42     3,566.54",
            "  search             3,000.00     2,601.42     3,566.54   below its P90 share: runs out before the month ends one month in ten",
            "  internal-tools     1,000.00     2,601.42     3,566.54   BELOW ITS P50 SHARE: refused with budget_exceeded after about day 11 of the month");
    }

    [Fact]
    public void Render_AppWithoutBudget_ShowsItsShareAndNoFlag()
    {
        var lines = PlanRenderer.Render(Repo.Synthesize("dev")).Split('\n');

        lines.Should().Contain(l => l.StartsWith("  playground ", StringComparison.Ordinal) && l.Contains(" none ", StringComparison.Ordinal) && l.EndsWith("(no budget)", StringComparison.Ordinal));
    }
}
