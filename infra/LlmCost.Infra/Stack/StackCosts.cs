using LlmCost.CostModel.Vocabulary;
using LlmCost.Infra.Components;
using LlmCost.Infra.Components.Analytics;
using LlmCost.Infra.Components.Fleet;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Stack;

/// <summary>A component type that costs money, and its month's cost lines.</summary>
internal sealed record CostContributor(Type Component, Func<CostMonth, IEnumerable<CostLine>> MonthlyCost)
{
    public static CostContributor Of<T>() where T : ICostsMoney => new(typeof(T), T.MonthlyCost);
}

/// <summary>
/// The components of a stack that cost money, in the order plans list their lines. The plan is made before the
/// program (components read it), so this list follows the settings as <see cref="LlmCostStack"/> does; a test checks
/// that it names exactly the costing components each synthesized stack holds.
/// </summary>
internal static class StackCosts
{
    public static IReadOnlyList<CostContributor> Contributors(StackSettings settings) =>
    [
        CostContributor.Of<BedrockAccess>(),
        .. settings.Fleet?.Platform switch
        {
            FleetPlatform.SageMaker => [CostContributor.Of<SageMakerFleet>()],
            FleetPlatform.Ecs => [CostContributor.Of<EcsFleet>()],
            _ => Array.Empty<CostContributor>(),
        },
        CostContributor.Of<Gateway>(),
        CostContributor.Of<RouterFunction>(),
        .. settings.Analytics.Enabled ? [CostContributor.Of<UsageAnalytics>()] : Array.Empty<CostContributor>(),
    ];

    /// <summary>
    /// One month's lines: every kind in the enum's order, 0 for a kind no component of this stack contributes; where
    /// several components contribute to one kind, their amounts add up and their bases are joined.
    /// </summary>
    public static MonthlyCost Month(CostMonth month)
    {
        var lines = Contributors(month.Settings).SelectMany(c => c.MonthlyCost(month)).ToList();
        return new MonthlyCost(Enum.GetValues<CostLineKind>()
            .Select(kind => lines.Where(l => l.Kind == kind).ToList() is { Count: > 0 } parts
                ? new CostLine(kind, parts.Sum(p => p.Usd), string.Join("; ", parts.Select(p => p.Basis)))
                : new CostLine(kind, 0m, $"no {kind.Name()}"))
            .ToList());
    }
}
