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
    private readonly CompilerProject _project = new();

    public void Dispose() => _project.Dispose();

    private void BuildBundle(string architecture) => _project.BuildBundle(architecture);

    private static string PulumiConfig(string stack, params (string Key, string Value)[] overrides) => CompilerProject.PulumiConfig(stack, overrides);

    private (int ExitCode, string Stdout, string Stderr) RunCompiler(IDictionary<string, string>? environment) => _project.Run(environment);

    /// <summary>Priced offline: these tests are about the contract; live pricing has its own tests against a local server.</summary>
    private Dictionary<string, string> PulumiRun(string stack, string config)
    {
        var environment = _project.PulumiRun(stack, config);
        environment["LLM_COST_PRICING_SOURCE"] = "snapshot";
        return environment;
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Run_WithStackEnvironment_PrintsOnlyThatStacksProgram(string stack)
    {
        BuildBundle(LlmCost.CostModel.Vocabulary.LambdaArchitectures.Name(Repo.Settings(stack).Router.Architecture));

        var (exit, stdout, stderr) = RunCompiler(PulumiRun(stack, PulumiConfig(stack)));

        exit.Should().Be(0, stderr);
        var program = JsonNode.Parse(stdout)!.AsObject();
        program.Select(p => p.Key).Should().BeSubsetOf(["name", "config", "variables", "resources", "outputs"]);
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
        stderr.Should().Be("llm-cost: The router Lambda bundle lambda/dist/router-arm64.zip does not exist. Build it first: lambda/build.sh arm64\n");
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
