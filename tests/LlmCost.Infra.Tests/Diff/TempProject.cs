using System.Diagnostics;
using LlmCost.Infra.Diff;

namespace LlmCost.Infra.Tests.Diff;

/// <summary>
/// A throw-away copy of the project's stack files (Pulumi.yaml and stacks/), optionally a git repository, for diffs
/// of real stacks with one setting changed. Deleted when disposed.
/// </summary>
internal sealed class TempProject : IDisposable
{
    private TempProject(string directory) => Directory = directory;

    public string Directory { get; }

    public static TempProject Copy(bool git = false)
    {
        var dir = Path.Combine(Path.GetTempPath(), "llm-cost-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "stacks"));
        File.Copy(Path.Combine(Repo.Root, "Pulumi.yaml"), Path.Combine(dir, "Pulumi.yaml"));
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(Repo.Root, "stacks"), "Pulumi.*.yaml"))
        {
            File.Copy(file, Path.Combine(dir, "stacks", Path.GetFileName(file)));
        }

        var project = new TempProject(dir);
        if (git)
        {
            project.Git("init", "--quiet", "--initial-branch=main");
            project.Git("config", "user.email", "tests@example.com");
            project.Git("config", "user.name", "tests");
            project.Git("config", "commit.gpgsign", "false");
            project.Commit("the stacks as in the checkout");
        }

        return project;
    }

    /// <summary>Replaces one exact text in a stack file; fails if the text is not there, so a test never edits nothing.</summary>
    public TempProject Edit(string stack, string from, string to)
    {
        var path = Path.Combine(Directory, "stacks", $"Pulumi.{stack}.yaml");
        var text = File.ReadAllText(path);
        text.Should().Contain(from, $"the test edits {path}");
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
        return this;
    }

    public void Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "--quiet", "-m", message);
    }

    public string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"git {string.Join(' ', arguments)}: {stderr}");
        return stdout;
    }

    /// <summary>The checkout's stack on the base side, this copy's on the head side; both offline on the embedded snapshot.</summary>
    public CostDiffReport DiffAgainstCheckout(string stack)
    {
        var before = DiffSides.PlanAsync(Repo.Root, Repo.Root, stack, "checkout", TimeProvider.System).GetAwaiter().GetResult();
        var after = DiffSides.PlanAsync(Directory, Repo.Root, stack, "edited copy", TimeProvider.System).GetAwaiter().GetResult();
        return CostDiff.Compare(stack, before, after);
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            // git marks its objects read-only; clear that so the folder can go.
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
