using System.Collections.Concurrent;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Stack;

namespace LlmCost.Router.Tests;

/// <summary>
/// The real stacks (stacks/Pulumi.&lt;stack&gt;.yaml) synthesized by the program offline, priced on the embedded
/// snapshot, as the README's plan command does: no AWS, no Pulumi CLI. Deterministic, so each stack is synthesized
/// once per test run.
/// </summary>
internal static class SynthesizedStacks
{
    private static readonly ConcurrentDictionary<string, Lazy<SynthesizedStack>> Synthesized = new(StringComparer.Ordinal);

    public static SynthesizedStack Synthesize(string stack) =>
        Synthesized.GetOrAdd(stack, name => new Lazy<SynthesizedStack>(() => SynthesizeNow(name))).Value;

    private static SynthesizedStack SynthesizeNow(string stack)
    {
        var root = AotBootstrapSmokeTests.RepositoryRoot();
        var settings = StackSettingsReader.Read(StackFileReader.Read(root, stack));
        // Planned off the test's synchronization context: a test thread waiting here must not be the one the plan's
        // continuations are queued on.
        var costs = Task.Run(() => StackPlanning.PlanAsync(settings, root, PlanningOptions.Offline, _ => null, TimeProvider.System)).GetAwaiter().GetResult();
        return LlmCostStack.Synthesize(settings, costs, new BundleLocator(root));
    }
}
