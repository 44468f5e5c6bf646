using LlmCost.Infra.Diff;

namespace LlmCost.Infra.Tests.Diff;

/// <summary>
/// cost diff on real stacks with one setting changed. Expected numbers are worked by hand from the stack files and
/// the embedded price snapshot (price-snapshot.json, 2026-09-30), never read back from the planner.
/// </summary>
public sealed class CostDiffTests
{
    // prod's demand: 3 rps baseline, 12 rps from 08 to 20 UTC on weekdays: 108 hours at 3 and 60 at 12 a week,
    // (108 x 3 + 60 x 12) x 3600 = 3,758,400 requests a week, x 730/168 = 16,331,142.857 a month.
    // prod's Bedrock routes: medium 25% on Nova Lite ($0.06 in, $0.24 out per 1M), large 5% on Sonnet 4.5 ($3.30, $16.50);
    // 700 input and 250 output tokens a request: 0.25 x (700 x 0.06 + 250 x 0.24) + 0.05 x (700 x 3.3 + 250 x 16.5)
    // = 25.5 + 321.75 = 347.25 USD per million requests.
    [Fact]
    public void Diff_StackAgainstItself_ShowsNoChange()
    {
        using var copy = TempProject.Copy();

        var report = copy.DiffAgainstCheckout("prod");

        report.Changed.Should().BeFalse();
        report.Lines.Should().OnlyContain(l => l.P50Change == 0 && l.P90Change == 0);
        report.Settings.Should().OnlyContain(s => !s.Changed);
        report.Resources.Should().BeEmpty();
        report.HourlyBefore.Should().Equal(report.HourlyAfter);
        DiffSummary.Line(report).Should().StartWith("prod: no change (monthly forecast $");
    }

    [Fact]
    public void Diff_PeakDemandRaised_ShowsHandComputedRequestsAndBedrockDelta()
    {
        using var copy = TempProject.Copy().Edit("prod", "peakRequestsPerSecond: 12", "peakRequestsPerSecond: 15");

        var report = copy.DiffAgainstCheckout("prod");

        // After: (108 x 3 + 60 x 15) x 3600 x 730/168 = 19,146,857.14 requests a month.
        Row(report, "requests/month (P50)").Should().Be(new SettingRow("requests/month (P50)", "16331143", "19146857"));
        // Bedrock: 347.25 per million x 16,331,142.857 = 5,670.99; x 19,146,857.143 = 6,648.75.
        var bedrock = report.Lines.Single(l => l.Line == "bedrock");
        bedrock.P50Before.Should().Be(5670.99m);
        bedrock.P50After.Should().Be(6648.75m);
        bedrock.P50Change.Should().Be(977.76m);
        // Peak hours gain more than off-peak ones (the fleet's commitment and storage spread over every hour).
        (report.HourlyAfter[8] - report.HourlyBefore![8]).Should().BeGreaterThan(report.HourlyAfter[0] - report.HourlyBefore[0]);
        DiffSummary.Line(report).Should().StartWith("prod: monthly forecast +$");
    }

    [Fact]
    public void Diff_RouteModelChanged_ShowsModelPriceAndHandComputedBedrockDelta()
    {
        using var copy = TempProject.Copy().Edit("prod", "model: amazon.nova-lite-v1:0", "model: amazon.nova-micro-v1:0");

        var report = copy.DiffAgainstCheckout("prod");

        Row(report, "route medium: model").Should().Be(new SettingRow("route medium: model", "bedrock amazon.nova-lite-v1:0", "bedrock amazon.nova-micro-v1:0"));
        // Nova Micro: $0.035 in, $0.14 out per 1M.
        Row(report, "route medium: USD per 1M tokens (in/out)").Should().Be(new SettingRow("route medium: USD per 1M tokens (in/out)", "0.06/0.24", "0.035/0.14"));
        // medium: 0.25 x (700 x 0.035 + 250 x 0.14) = 14.875 per million requests instead of 25.5; with large's 321.75:
        // 336.625 x 16.331142857 = 5,497.47, against 5,670.99 before.
        var bedrock = report.Lines.Single(l => l.Line == "bedrock");
        bedrock.P50After.Should().Be(5497.47m);
        bedrock.P50Change.Should().Be(-173.52m);
        report.Lines.Single(l => l.Line == "lambda").P50Change.Should().Be(0m);
        report.Resources!.Should().Contain(c => c.Kind == "changed" && c.Name == "router-function");
    }

    [Fact]
    public void Diff_RouteCapLowered_ShowsTheCapAndNoCostChange()
    {
        using var copy = TempProject.Copy().Edit("prod", "maxOutputTokens: 4096", "maxOutputTokens: 2048");

        var report = copy.DiffAgainstCheckout("prod");

        Row(report, "route large: caps (in/out tokens)").Should().Be(new SettingRow("route large: caps (in/out tokens)", "100000/4096", "100000/2048"));
        report.MonthlyChange.Should().Be(0m);
        report.Changed.Should().BeTrue();
        report.Resources!.Should().Contain(c => c.Kind == "changed" && c.Name == "router-function" && c.Type == "aws:lambda/function:Function");
    }

    [Fact]
    public void Diff_FleetBoundLowered_ShowsFleetMinMax()
    {
        using var copy = TempProject.Copy().Edit("prod", "maxInstances: 10", "maxInstances: 4");

        var report = copy.DiffAgainstCheckout("prod");

        Row(report, "fleet min/max").Should().Be(new SettingRow("fleet min/max", "2/10", "2/4"));
    }

    [Fact]
    public void Diff_InstanceTypeChanged_ShowsTheTypeAndTheFleetRoutesHandComputedPrice()
    {
        using var copy = TempProject.Copy().Edit("prod", "instanceType: ml.inf2.xlarge", "instanceType: ml.inf2.8xlarge");

        var report = copy.DiffAgainstCheckout("prod");

        Row(report, "fleet instance type").Should().Be(new SettingRow("fleet instance type", "ml.inf2.xlarge", "ml.inf2.8xlarge"));
        // The fleet route's price: the instance-hour over 2,000 tokens/s x 3,600 s x 70% = 5,040,000 tokens an hour:
        // $0.99 -> 0.196429 per 1M tokens; $2.36 -> 0.468254.
        Row(report, "route small: USD per 1M tokens (in/out)").Should().Be(new SettingRow("route small: USD per 1M tokens (in/out)", "0.196429/0.196429", "0.468254/0.468254"));
        report.Lines.Single(l => l.Line == "fleet").P50Change.Should().BePositive();
    }

    [Fact]
    public async Task CostDiff_RegionWithoutTheModel_FailsNamingFileKeyAndRegionAndPrintsNothing()
    {
        using var copy = TempProject.Copy().Edit("prod", "aws:region: us-east-1", "aws:region: eu-west-1");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await Cli.CostDiffCommand.RunAsync(copy.Directory, "prod", "HEAD", null, "markdown", null, stdout, stderr, TimeProvider.System);

        exit.Should().Be(Cli.ExitCodes.BadConfig);
        stdout.ToString().Should().BeEmpty();
        stderr.ToString().Should().StartWith("llm-cost: stacks/Pulumi.prod.yaml: llm-cost:routes[1].model: meta.llama3-1-8b-instruct-v1:0 is not offered in eu-west-1");
    }

    [Fact]
    public void Diff_AppAddedAndRemoved_ListsResourcesAddedAndRemoved()
    {
        using var copy = TempProject.Copy().Edit("prod", "    - name: internal-tools\n      monthlyBudgetUsd: 1000", "    - name: billing\n      monthlyBudgetUsd: 200");

        var report = copy.DiffAgainstCheckout("prod");

        report.Resources!.Should().ContainEquivalentOf(new ResourceChange("added", "aws:cognito/userPoolClient:UserPoolClient", "auth-client-billing", []));
        report.Resources!.Should().ContainEquivalentOf(new ResourceChange("removed", "aws:cognito/userPoolClient:UserPoolClient", "auth-client-internal-tools", []));
        report.Resources!.Should().ContainEquivalentOf(new ResourceChange("added", "aws:cloudwatch/metricAlarm:MetricAlarm", "alarms-app-billing-budget-pace", []));
        Row(report, "app billing: monthly budget USD").Should().Be(new SettingRow("app billing: monthly budget USD", "none", "200"));
        Row(report, "app internal-tools: monthly budget USD").Should().Be(new SettingRow("app internal-tools: monthly budget USD", "1000", "none"));
        DiffSummary.Line(report).Should().Contain("resources: 2 added, 2 removed");
    }

    [Fact]
    public async Task Diff_BaseFromSavedPlan_ComparesCostsButNotResources()
    {
        using var copy = TempProject.Copy();
        var saved = Path.Combine(copy.Directory, "base.json");
        File.WriteAllText(saved, Cli.PlanJsonRenderer.Render(Repo.Synthesize("dev")));

        var before = DiffSides.FromFile(saved, "dev");
        var after = await DiffSides.PlanAsync(copy.Directory, Repo.Root, "dev", "copy", TimeProvider.System);
        var report = CostDiff.Compare("dev", before, after);

        report.Resources.Should().BeNull();
        report.CostsChanged.Should().BeFalse();
        report.HourlyBefore.Should().Equal(report.HourlyAfter);
    }

    [Fact]
    public void FromFile_PlanOfAnotherStack_IsRefusedNamingFileAndStack()
    {
        using var copy = TempProject.Copy();
        var saved = Path.Combine(copy.Directory, "base.json");
        File.WriteAllText(saved, Cli.PlanJsonRenderer.Render(Repo.Synthesize("dev")));

        var act = () => DiffSides.FromFile(saved, "prod");

        act.Should().Throw<CostDiffException>().WithMessage($"--base-file {saved}: stack: the saved plan is of \"dev\", not of prod");
    }

    [Fact]
    public void Summary_ChangesInCostAndCommitment_ReadsAsTheIssueShowsIt()
    {
        using var copy = TempProject.Copy();
        var report = copy.DiffAgainstCheckout("prod") with { MonthlyBefore = 6_889m, MonthlyAfter = 8_129m, CommitmentBefore = 1.00m, CommitmentAfter = 1.42m };

        // 1,240 / 6,889 = 18.0%.
        DiffSummary.Line(report).Should().Be("prod: monthly forecast +$1,240 (+18%), Savings Plan commitment +$0.42/h");
    }

    private static SettingRow Row(CostDiffReport report, string setting) => report.Settings.Single(s => s.Setting == setting);
}
