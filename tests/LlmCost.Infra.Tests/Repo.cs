using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Stack;

namespace LlmCost.Infra.Tests;

/// <summary>The checkout the tests run in, and the real stacks synthesized from it.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static readonly string[] Stacks = ["dev", "staging", "prod"];

    public static StackSettings Settings(string stack) => StackSettingsReader.Read(StackFileReader.Read(Root, stack));

    public static SynthesizedStack Synthesize(string stack) => Synthesize(Settings(stack));

    /// <summary>Synthesized offline, on the embedded snapshot, as the README's plan command does.</summary>
    public static SynthesizedStack Synthesize(StackSettings settings) =>
        LlmCostStack.Synthesize(settings, Costs(settings), new BundleLocator(Root));

    public static CostPlan Costs(StackSettings settings) =>
        StackPlanning.PlanAsync(settings, Root, PlanningOptions.Offline, _ => null, TimeProvider.System).GetAwaiter().GetResult();

    /// <summary>A stack's raw config with some keys replaced or removed (null), as if the stack file said so.</summary>
    public static StackConfig ConfigWith(string stack, params (string Key, string? Value)[] changes)
    {
        var config = StackFileReader.Read(Root, stack);
        var values = config.Values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                values.Remove(key);
            }
            else
            {
                values[key] = value;
            }
        }

        return config with { Values = values };
    }

    /// <summary>A stack's raw config with one field of <c>llm-cost:fleet</c> set, the rest as the stack file says.</summary>
    public static StackConfig FleetWith(string stack, string field, System.Text.Json.Nodes.JsonNode value)
    {
        var fleet = System.Text.Json.Nodes.JsonNode.Parse(StackFileReader.Read(Root, stack).Values["llm-cost:fleet"]!)!.AsObject();
        fleet[field] = value;
        return ConfigWith(stack, ("llm-cost:fleet", fleet.ToJsonString()));
    }

    /// <summary>
    /// prod with its configured fleet throughput stated as measured (<c>throughputEvidence</c>): the plan then
    /// recommends on it, as it does for a user who load-tested the fleet; plain prod's figure is contradicted by the
    /// published benchmark, so its plan recommends nothing.
    /// </summary>
    public static StackSettings ProdMeasured() =>
        StackSettingsReader.Read(FleetWith("prod", "throughputEvidence", "test: 2000 tokens/s per instance stated as measured"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The tests must run inside the llm-cost checkout.");
    }
}
