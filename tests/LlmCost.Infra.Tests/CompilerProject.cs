using System.Diagnostics;
using System.Text.Json;

namespace LlmCost.Infra.Tests;

/// <summary>
/// A throwaway copy of the project (Pulumi.yaml and stacks) and the compiler started in it as Pulumi starts it:
/// a separate process in the project directory with the environment Pulumi sets.
/// </summary>
internal sealed class CompilerProject : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("llm-cost-project-").FullName;

    public CompilerProject()
    {
        File.Copy(Path.Combine(Repo.Root, "Pulumi.yaml"), Path.Combine(Directory, "Pulumi.yaml"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "stacks"));
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(Repo.Root, "stacks")))
        {
            File.Copy(file, Path.Combine(Directory, "stacks", Path.GetFileName(file)));
        }
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    public void BuildBundle(string architecture)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "lambda", "dist"));
        File.WriteAllText(Path.Combine(Directory, "lambda", "dist", $"router-{architecture}.zip"), "stands in for the router bundle; the compiler only checks it exists");
    }

    /// <summary>PULUMI_CONFIG as Pulumi builds it: every value a string, structured values as JSON text.</summary>
    public static string PulumiConfig(string stack, params (string Key, string Value)[] overrides)
    {
        var values = Repo.ConfigWith(stack).Values.ToDictionary(v => v.Key, v => v.Value);
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        return JsonSerializer.Serialize(values);
    }

    /// <summary>The variables Pulumi sets for a stack run, plus a private price cache.</summary>
    public Dictionary<string, string> PulumiRun(string stack, string config) => new()
    {
        ["PULUMI_STACK"] = stack,
        ["PULUMI_PROJECT"] = "llm-cost",
        ["PULUMI_ORGANIZATION"] = "organization",
        ["PULUMI_CONFIG"] = config,
        ["LLM_COST_CACHE_DIR"] = Path.Combine(Directory, ".cache"),
    };

    public (int ExitCode, string Stdout, string Stderr) Run(IDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "llm-cost.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("PULUMI_", StringComparison.Ordinal) || k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("LLM_COST_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        // Never let a credential lookup reach for instance metadata from a test.
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(Directory, "no-credentials");
        start.Environment["AWS_CONFIG_FILE"] = Path.Combine(Directory, "no-config");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(120_000).Should().BeTrue("the compiler must finish");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
