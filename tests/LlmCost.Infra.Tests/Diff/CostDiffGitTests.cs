using LlmCost.Infra.Cli;

namespace LlmCost.Infra.Tests.Diff;

/// <summary><c>cost diff --base REF</c> against a real git repository made for the test.</summary>
public sealed class CostDiffGitTests
{
    private static (int Exit, string Out, string Error) Run(string project, string stack, string? baseRevision, string format = "markdown", string? chart = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CostDiffCommand.RunAsync(project, stack, baseRevision, null, format, chart, stdout, stderr, TimeProvider.System).GetAwaiter().GetResult();
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void CostDiff_BaseIsThePreviousCommit_ShowsTheCommittedChangeAndWritesTheChart()
    {
        using var repo = TempProject.Copy(git: true);
        repo.Edit("prod", "peakRequestsPerSecond: 12", "peakRequestsPerSecond: 15").Commit("prod: more peak demand");
        var chart = Path.Combine(repo.Directory, ".artifacts", "prod-week.png");

        var (exit, output, error) = Run(repo.Directory, "prod", "HEAD~1", chart: chart);

        error.Should().BeEmpty();
        exit.Should().Be(ExitCodes.Ok);
        output.Should().Contain("**prod: monthly forecast +$");
        output.Should().Contain("| **requests/month (P50)** | 16331143 | 19146857 |");
        output.Should().Contain("| bedrock | $5,670.99 | $6,648.75 | +$977.76 |");
        File.ReadAllBytes(chart).Take(4).Should().Equal(0x89, 0x50, 0x4E, 0x47);
        repo.Git("worktree", "list", "--porcelain").Split('\n').Count(l => l.StartsWith("worktree ", StringComparison.Ordinal)).Should().Be(1, "the base's worktree is removed");
    }

    [Fact]
    public void CostDiff_StackMissingAtBase_IsANewStack()
    {
        using var repo = TempProject.Copy(git: true);
        File.Copy(Path.Combine(repo.Directory, "stacks", "Pulumi.dev.yaml"), Path.Combine(repo.Directory, "stacks", "Pulumi.qa.yaml"));
        repo.Commit("a qa stack");

        var (exit, output, _) = Run(repo.Directory, "qa", "HEAD~1", format: "json");

        exit.Should().Be(ExitCodes.Ok);
        output.Should().Contain("\"newStack\": true").And.Contain("\"summary\": \"qa: new stack, monthly forecast $");
    }

    [Fact]
    public void CostDiff_UnknownRevision_FailsNamingItAndPrintsNothing()
    {
        using var repo = TempProject.Copy(git: true);

        var (exit, output, error) = Run(repo.Directory, "prod", "no-such-branch");

        exit.Should().Be(ExitCodes.BadDiffInput);
        output.Should().BeEmpty();
        error.Should().Be($"llm-cost: --base no-such-branch: not a revision of the repository at {repo.Directory} (for a pull request's base, fetch it first: git fetch origin; in CI check out with fetch-depth: 0)\n");
    }

    [Fact]
    public void CostDiff_NotAGitRepository_FailsNamingTheFolder()
    {
        using var copy = TempProject.Copy();

        var (exit, _, error) = Run(copy.Directory, "prod", "HEAD");

        exit.Should().Be(ExitCodes.BadDiffInput);
        error.Should().StartWith($"llm-cost: --base HEAD: {copy.Directory} is not in a git repository");
    }
}
