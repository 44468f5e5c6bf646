using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmCost.Infra.Diff;

namespace LlmCost.Infra.Tests.Diff;

public sealed class DiffRenderingTests
{
    [Fact]
    public async Task Markdown_ProdAsNewStack_StaysUnderGitHubsCommentLimit()
    {
        // The largest comment there is: prod's every resource added, every setting new.
        var after = await DiffSides.PlanAsync(Repo.Root, Repo.Root, "prod", "working tree", TimeProvider.System);
        var report = CostDiff.Compare("prod", DiffSide.Missing("origin/main"), after);

        var markdown = DiffMarkdownRenderer.Render(report, "/tmp/prod-week.png");

        report.Resources!.Count.Should().BeGreaterThan(50);
        markdown.Length.Should().BeLessThan(DiffMarkdownRenderer.GitHubCommentLimit);
        markdown.Should().StartWith("<!-- llm-cost:preview:prod -->\n");
        markdown.Should().Contain("**prod: new stack, monthly forecast $");
        markdown.Should().Contain("(the stack does not exist there: new stack)");
    }

    [Fact]
    public void Markdown_ChangedProd_StaysUnderTheLimitWithDetailsFoldedAndAWellFormedMermaidChart()
    {
        using var copy = TempProject.Copy()
            .Edit("prod", "peakRequestsPerSecond: 12", "peakRequestsPerSecond: 15")
            .Edit("prod", "model: amazon.nova-lite-v1:0", "model: amazon.nova-micro-v1:0")
            .Edit("prod", "    - name: internal-tools\n      monthlyBudgetUsd: 1000", "    - name: billing\n      monthlyBudgetUsd: 200");
        var report = copy.DiffAgainstCheckout("prod");

        var markdown = DiffMarkdownRenderer.Render(report, null);

        markdown.Length.Should().BeLessThan(DiffMarkdownRenderer.GitHubCommentLimit);
        markdown.Split('\n')[3].Should().StartWith("**prod: monthly forecast +$");
        markdown.Should().Contain("<details><summary>Resource changes</summary>").And.Contain("</details>");
        Regex.Matches(markdown, "<details>").Count.Should().Be(Regex.Matches(markdown, "</details>").Count);

        var mermaid = Regex.Match(markdown, "```mermaid\n(?<body>.*?)```\n", RegexOptions.Singleline);
        mermaid.Success.Should().BeTrue();
        var lines = mermaid.Groups["body"].Value.TrimEnd('\n').Split('\n');
        lines[0].Should().Be("xychart-beta");
        lines[1].Should().MatchRegex("^    title \"[^\"]+\"$");
        lines[2].Should().Be("    x-axis \"hour of the week from Monday 00:00 UTC\" 0 --> 167");
        lines[3].Should().MatchRegex(@"^    y-axis ""USD per hour"" 0 --> [0-9]+(\.[0-9]+)?$");
        lines.Skip(4).Should().HaveCount(2).And.OnlyContain(l => Regex.IsMatch(l, @"^    line \[[0-9.]+(, [0-9.]+){167}\]$"));
    }

    [Fact]
    public void Markdown_NoChange_IsOneShortComment()
    {
        using var copy = TempProject.Copy();
        var markdown = DiffMarkdownRenderer.Render(copy.DiffAgainstCheckout("dev"), null);

        markdown.Should().NotContain("|").And.NotContain("mermaid");
        markdown.Should().Contain("**dev: no change (monthly forecast $");
    }

    [Fact]
    public void Json_CarriesTheSummaryFlagsAndLines()
    {
        using var copy = TempProject.Copy().Edit("prod", "peakRequestsPerSecond: 12", "peakRequestsPerSecond: 15");
        var json = JsonNode.Parse(DiffJsonRenderer.Render(copy.DiffAgainstCheckout("prod"), null))!;

        json["schemaVersion"]!.GetValue<int>().Should().Be(1);
        json["changed"]!.GetValue<bool>().Should().BeTrue();
        json["newStack"]!.GetValue<bool>().Should().BeFalse();
        json["lines"]!.AsArray().Single(l => l!["line"]!.GetValue<string>() == "bedrock")!["p50Change"]!.GetValue<decimal>().Should().Be(977.76m);
        json["hourlyUsdP50"]!["after"]!.AsArray().Should().HaveCount(168);
    }

    [Fact]
    public void Png_IsWrittenAsAPngFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "llm-cost-test-" + Guid.NewGuid().ToString("N"), "week.png");
        try
        {
            var before = Enumerable.Range(0, 168).Select(h => h % 24 >= 8 && h % 24 < 20 ? 20m : 5m).ToList();
            var after = before.Select(v => v * 1.5m).ToList();

            WeekChartPng.Write(path, "prod", before, after);

            var bytes = File.ReadAllBytes(path);
            bytes.Take(8).Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A);
            bytes.Length.Should().BeGreaterThan(10_000);
            Directory.GetFiles(Path.GetDirectoryName(path)!).Should().ContainSingle("the temporary file is moved into place");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
