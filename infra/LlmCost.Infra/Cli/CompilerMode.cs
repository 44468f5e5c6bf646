using LlmCost.Infra.Components;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;

namespace LlmCost.Infra.Cli;

/// <summary>
/// The Pulumi YAML compiler contract. Pulumi runs us in the project directory; stdout must be the program and
/// nothing else, stderr is shown only on a non-zero exit.
/// - With <c>PULUMI_STACK</c> set: read <c>PULUMI_CONFIG</c>, synthesize that stack, require the Lambda bundle.
/// - Without it (plugin discovery): print, offline and at once, a program with the same packages and versions.
/// </summary>
public static class CompilerMode
{
    public static async Task<int> RunAsync(IDictionary<string, string?> environment, string projectDirectory, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        var stack = environment.TryGetValue("PULUMI_STACK", out var s) ? s : null;
        if (string.IsNullOrEmpty(stack))
        {
            stdout.Write(ProgramWriter.Write(DiscoveryProgram()));
            return 0;
        }

        try
        {
            var source = Path.GetRelativePath(projectDirectory, StackFileReader.PathFor(projectDirectory, stack));
            var config = StackConfig.FromPulumiConfigJson(stack, source, environment.TryGetValue("PULUMI_CONFIG", out var json) && !string.IsNullOrEmpty(json) ? json : "{}");
            var settings = StackSettingsReader.Read(config);
            var bundles = new BundleLocator(projectDirectory);
            bundles.RequireBuilt(settings.Router.Architecture);
            var costs = await StackPlanning.PlanAsync(settings, projectDirectory, new PlanningOptions(), name => environment.TryGetValue(name, out var v) ? v : null, time);
            var stackProgram = LlmCostStack.Synthesize(settings, costs, bundles);

            // Write only once everything succeeded: a failed run leaves no half-printed program behind.
            stdout.Write(ProgramWriter.Write(stackProgram.Program));
            return 0;
        }
        catch (Exception e) when (e is ConfigError or SynthesisException or BundleMissingException or PricingException)
        {
            stderr.WriteLine($"llm-cost: {e.Message}");
            return ExitCodes.For(e);
        }
    }

    /// <summary>Only the pinned provider: enough for Pulumi to load the same plugin at the same version.</summary>
    public static ProgramDocument DiscoveryProgram()
    {
        var builder = new ProgramBuilder();
        builder.AddResource(new ResourceDeclaration(
            "aws-provider",
            "pulumi:providers:aws",
            Expr.Map(),
            new ResourceOptions { Version = AwsProvider.Version },
            "aws",
            DefaultProvider: true));
        return builder.Build();
    }
}
