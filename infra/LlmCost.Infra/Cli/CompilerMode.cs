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
internal static class CompilerMode
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
            if (StackKinds.Of(config) == StackKind.Account)
            {
                stdout.Write(ProgramWriter.Write(Account.AccountStack.Synthesize(Account.AccountSettingsReader.Read(config))));
                return 0;
            }

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

    /// <summary>The Pulumi YAML version from which the language host passes the stack to a compiler (pulumi-yaml CHANGELOG, 1.8.0).</summary>
    public const string MinimumPulumiYaml = "1.8.0";

    /// <summary>
    /// The pinned provider, enough for Pulumi to load the same plugin at the same version, and a guard. Pulumi
    /// only reads the packages of this program. A Pulumi CLI whose YAML runtime is older than
    /// <see cref="MinimumPulumiYaml"/> would run it as the stack's program, which declares none of the stack's
    /// resources, and <c>pulumi up</c> would delete them all; the guard's <c>fn::readFile</c> of a file that
    /// cannot exist fails that run first, and its path is the message.
    /// </summary>
    public static ProgramDocument DiscoveryProgram()
    {
        var builder = new ProgramBuilder();
        AwsProvider.Declare(builder, "us-east-1", "discovery", new Dictionary<string, string>());
        builder.AddVariable("compilerContract", new FunctionValue("fn::readFile", OldCliGuardPath), "compiler");
        return builder.Build();
    }

    public const string OldCliGuardPath =
        "./STOP: this Pulumi CLI did not pass PULUMI_STACK to the llm-cost compiler: upgrade to a Pulumi CLI whose YAML runtime is pulumi-yaml "
        + MinimumPulumiYaml + " or later (pulumi about lists it); nothing was changed";
}
