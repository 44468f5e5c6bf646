using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Settings;

/// <summary><c>model: "auto"</c>: tiers by prompt-complexity score (0 to 1), ascending.</summary>
/// <param name="AllowExplicitModels">Whether a client may name a route instead of <c>auto</c> (default <see cref="DefaultAllowExplicitModels"/>).</param>
internal sealed record AutoRoutingSettings(IReadOnlyList<AutoTier> Tiers, bool AllowExplicitModels)
{
    public const string Key = StackFileReader.ProjectNamespace + ":autoRouting";
    public const bool DefaultAllowExplicitModels = true;
}

/// <summary>Requests scoring at most <paramref name="MaxScore"/> take <paramref name="Route"/>; the last tier takes the rest.</summary>
internal sealed record AutoTier(string Route, decimal MaxScore);

/// <summary>Reads <c>AutoRouting</c> settings; stops at the first bad key, naming it.</summary>
internal static class AutoRoutingSettingsReader
{
    public static AutoRoutingSettings Read(ConfigNode node, IReadOnlyList<RouteSettings> routes)
    {
        var tiers = new List<AutoTier>();
        foreach (var tier in node.Objects("tiers"))
        {
            var route = tier.RequiredString("route");
            if (routes.All(r => r.Name != route))
            {
                throw tier.Error("route", $"names no route; routes: {string.Join(", ", routes.Select(r => r.Name))}");
            }

            var maxScore = tier.Decimal("maxScore", 1m, 0m, 1m);
            if (tiers.Count > 0 && maxScore <= tiers[^1].MaxScore)
            {
                throw tier.Error("maxScore", $"tiers must rise: expected more than {tiers[^1].MaxScore}, got {maxScore}");
            }

            tiers.Add(new AutoTier(route, maxScore));
            tier.RejectUnknown();
        }

        if (tiers.Count == 0)
        {
            tiers.Add(new AutoTier(routes[0].Name, 1m));
        }
        else if (tiers[^1].MaxScore != 1m)
        {
            throw node.Error("tiers", $"the last tier must take every score up to 1, got maxScore {tiers[^1].MaxScore}");
        }

        var settings = new AutoRoutingSettings(tiers, node.Bool("allowExplicitModels", AutoRoutingSettings.DefaultAllowExplicitModels));
        node.RejectUnknown();
        return settings;
    }
}
