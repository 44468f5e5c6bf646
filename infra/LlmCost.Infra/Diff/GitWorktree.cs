using System.Diagnostics;

namespace LlmCost.Infra.Diff;

/// <summary>
/// A revision checked out in a temporary <c>git worktree</c>, removed again when disposed, so the base is read from
/// its own files without touching the working tree.
/// </summary>
internal sealed class GitWorktree : IDisposable
{
    private readonly string repository;
    private readonly string directory;

    private GitWorktree(string repository, string directory, string commit, string projectDirectory)
    {
        this.repository = repository;
        this.directory = directory;
        Commit = commit;
        ProjectDirectory = projectDirectory;
    }

    public string Commit { get; }

    /// <summary>The project's folder in the checkout (the project may sit below the repository's root).</summary>
    public string ProjectDirectory { get; }

    public static GitWorktree Add(string projectDirectory, string revision)
    {
        if (revision.Length == 0 || revision.StartsWith('-'))
        {
            throw new CostDiffException($"--base \"{revision}\": not a revision (a git revision such as origin/main or HEAD~1)");
        }

        var (ok, top, error) = Git(projectDirectory, "rev-parse", "--show-toplevel");
        if (!ok)
        {
            throw new CostDiffException($"--base {revision}: {projectDirectory} is not in a git repository ({error.Trim()})");
        }

        top = top.Trim();
        (ok, var commit, _) = Git(top, "rev-parse", "--verify", "--quiet", revision + "^{commit}");
        if (!ok)
        {
            throw new CostDiffException($"--base {revision}: not a revision of the repository at {top} (for a pull request's base, fetch it first: git fetch origin; in CI check out with fetch-depth: 0)");
        }

        commit = commit.Trim();
        var directory = Path.Combine(Path.GetTempPath(), "llm-cost-base-" + Guid.NewGuid().ToString("N"));
        (ok, _, error) = Git(top, "worktree", "add", "--detach", "--quiet", directory, commit);
        if (!ok)
        {
            throw new CostDiffException($"--base {revision}: git worktree add failed: {error.Trim()}");
        }

        var relative = Path.GetRelativePath(Path.GetFullPath(top), Path.GetFullPath(projectDirectory));
        return new GitWorktree(top, directory, commit, relative == "." ? directory : Path.Combine(directory, relative));
    }

    public void Dispose()
    {
        var (ok, _, _) = Git(repository, "worktree", "remove", "--force", directory);
        if (!ok)
        {
            // Removal can fail if the folder is already gone; prune drops the stale record either way.
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Git(repository, "worktree", "prune");
        }
    }

    private static (bool Ok, string Out, string Error) Git(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start) ?? throw new CostDiffException("could not start git");
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode == 0, stdout, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CostDiffException($"cost diff --base needs git on the PATH: {e.Message}");
        }
    }
}
