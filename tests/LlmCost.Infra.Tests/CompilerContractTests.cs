using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmCost.Infra.Components;

namespace LlmCost.Infra.Tests;

/// <summary>
/// The compiler started as Pulumi starts it: a separate process in the project directory, with (or, for plugin
/// discovery, without) PULUMI_STACK, PULUMI_PROJECT, PULUMI_ORGANIZATION and PULUMI_CONFIG.
/// </summary>
public sealed class CompilerContractTests : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("llm-cost-project-").FullName;

    public CompilerContractTests()
    {
        File.Copy(Path.Combine(Repo.Root, "Pulumi.yaml"), Path.Combine(_project, "Pulumi.yaml"));
        Directory.CreateDirectory(Path.Combine(_project, "stacks"));
        foreach (var file in Directory.GetFiles(Path.Combine(Repo.Root, "stacks")))
        {
            File.Copy(file, Path.Combine(_project, "stacks", Path.GetFileName(file)));
        }
    }

    public void Dispose() => Directory.Delete(_project, recursive: true);

    private void BuildBundle(string architecture)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_project, "lambda", "dist", $"router-{architecture}"));
        File.WriteAllText(Path.Combine(dir.FullName, "bootstrap"), "stands in for the router binary; the compiler only checks it exists");
    }

    /// <summary>PULUMI_CONFIG as Pulumi builds it: every value a string, structured values as JSON text.</summary>
    private static string PulumiConfig(string stack, params (string Key, string Value)[] overrides)
    {
        var values = Repo.ConfigWith(stack).Values.ToDictionary(v => v.Key, v => v.Value);
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        return JsonSerializer.Serialize(values);
    }

    private (int ExitCode, string Stdout, string Stderr) RunCompiler(IDictionary<string, string>? pulumiEnvironment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "llm-cost.dll"));
        foreach (var name in new[] { "PULUMI_STACK", "PULUMI_PROJECT", "PULUMI_ORGANIZATION", "PULUMI_CONFIG", "LLM_COST_PRICING_SOURCE", "AWS_ENDPOINT_URL", "AWS_PROFILE" })
        {
            start.Environment.Remove(name);
        }

        // Never let a credential lookup reach for instance metadata from a test.
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";

        foreach (var (name, value) in pulumiEnvironment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(60_000).Should().BeTrue("the compiler must finish");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Priced offline: these tests are about the contract; live pricing has its own tests against a local server.</summary>
    private Dictionary<string, string> PulumiRun(string stack, string config) => new()
    {
        ["PULUMI_STACK"] = stack,
        ["PULUMI_PROJECT"] = "llm-cost",
        ["PULUMI_ORGANIZATION"] = "organization",
        ["PULUMI_CONFIG"] = config,
        ["LLM_COST_PRICING_SOURCE"] = "snapshot",
        ["LLM_COST_CACHE_DIR"] = Path.Combine(_project, ".cache"),
    };

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Run_WithStackEnvironment_PrintsOnlyThatStacksProgram(string stack)
    {
        BuildBundle(Repo.Settings(stack).Router.Architecture);

        var (exit, stdout, stderr) = RunCompiler(PulumiRun(stack, PulumiConfig(stack)));

        exit.Should().Be(0, stderr);
        var program = JsonNode.Parse(stdout)!.AsObject();
        program.Select(p => p.Key).Should().BeSubsetOf(["config", "variables", "resources", "outputs"]);
        program["resources"]!["router-function"]!["properties"]!["name"]!.GetValue<string>().Should().Be($"llm-cost-{stack}-router");
        stdout.Should().Be(LlmCost.Infra.Synthesis.ProgramWriter.Write(Repo.Synthesize(stack).Program), "the compiler prints exactly what synth prints");
    }

    [Fact]
    public void Run_WithoutStackEnvironment_PrintsDiscoveryProgramWithSamePackageVersion()
    {
        var (exit, stdout, _) = RunCompiler(null);

        exit.Should().Be(0);
        var resources = JsonNode.Parse(stdout)!["resources"]!.AsObject();
        resources.Should().ContainSingle();
        resources["aws-provider"]!["type"]!.GetValue<string>().Should().Be("pulumi:providers:aws");
        resources["aws-provider"]!["options"]!["version"]!.GetValue<string>().Should().Be(AwsProvider.Version);
    }

    [Fact]
    public void Run_BundleMissing_FailsNamingBuildCommandAndPrintsNothing()
    {
        var (exit, stdout, stderr) = RunCompiler(PulumiRun("dev", PulumiConfig("dev")));

        exit.Should().Be(3);
        stdout.Should().BeEmpty();
        stderr.Should().Be("llm-cost: The router Lambda bundle lambda/dist/router-arm64/bootstrap does not exist. Build it first: lambda/build.sh arm64\n");
    }

    [Fact]
    public void Run_BadConfig_FailsNamingStackFileAndKeyAndPrintsNothing()
    {
        BuildBundle("arm64");

        var (exit, stdout, stderr) = RunCompiler(PulumiRun("dev", PulumiConfig("dev", ("llm-cost:router", """{"memoryMb":64}"""))));

        exit.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Be("llm-cost: stacks/Pulumi.dev.yaml: llm-cost:router.memoryMb: expected an integer from 128 to 10240, got 64\n");
    }

    [Fact]
    public void Run_ConfigNotJson_FailsNamingPulumiConfig()
    {
        var (exit, stdout, stderr) = RunCompiler(PulumiRun("dev", "not json"));

        exit.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().StartWith("llm-cost: stacks/Pulumi.dev.yaml: PULUMI_CONFIG: expected a JSON object of config values");
    }
}
