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
    public void Render_Prod_TakesTheAnalyticsLineApartWithItsBasis()
    {
        // Hand computation: AnalyticsCostTests.Forecast_ProdStack_CarriesAthenaAndQuickSight.
        var lines = PlanRenderer.Render(Repo.Synthesize("prod")).Split('\n');

        lines.Single(l => l.StartsWith("  analytics ", StringComparison.Ordinal)).Should().StartWith("  analytics         33.13").And.EndWith("(Firehose, S3, Athena, QuickSight: below)");
        var breakdown = lines.SkipWhile(l => l != "analytics at P50 (USD/month, with its basis)").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        breakdown[0].Should().Be("  firehose           0.92   19.597 GB of records (1,200 bytes each) ingested and converted to Parquet at 0.047 USD/GB");
        breakdown[1].Should().Be("  s3                 0.68   Parquet at 0.2 of the JSON (3.919 GB a month), 30 days in Standard at 0.023 and 370 in Standard-IA at 0.0125 USD/GB-month");
        breakdown[2].Should().Be("  athena             7.53   8 named queries x 1 a day = 243 runs, each billed 6.19 GB: the columns they read (12%) of the 51.544 GB the table holds over 400 days (no dt filter), at least 10 MB, at 5 USD/TB");
        breakdown[3].Should().Be("  quicksight        24.00   1 author seat at 24 USD/month for arn:aws:quicksight:us-east-1:123456789012:group/default/llm-cost-analysts (direct query, no SPICE); each reader adds 3 USD/month, not counted");
        breakdown[4].Should().StartWith("  not counted: S3 requests and Standard-IA retrievals of Athena's reads (a query over every day opens at least 115,200 objects: 288 a day for 400 days)");
    }

    [Fact]
    public void Render_Dev_HasNoQuickSightAndNoCutoffNote()
    {
        var lines = PlanRenderer.Render(Repo.Synthesize("dev")).Split('\n');

        lines.Should().Contain("  quicksight         0.00   none (no quickSightPrincipalArn)");
        lines.Should().Contain(l => l.StartsWith("  athena             0.05   8 named queries x 1 a day = 243 runs, each billed 38.2 MB", StringComparison.Ordinal));
        lines.Should().NotContain(l => l.Contains("cutoff", StringComparison.Ordinal));
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
