using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Settings;

/// <summary>A consuming application: its own OAuth client, and optionally its own inference profiles for cost allocation.</summary>
/// <param name="InferenceProfiles">Its own application inference profiles per Bedrock route (default <see cref="DefaultInferenceProfiles"/>).</param>
/// <param name="MonthlyBudgetUsd">Enforced by the router when set; default none.</param>
internal sealed record AppSettings(string Name, bool InferenceProfiles, decimal? MonthlyBudgetUsd)
{
    public const string ListKey = StackFileReader.ProjectNamespace + ":apps";
    public const bool DefaultInferenceProfiles = false;

    /// <summary>Where this app is declared, for messages from later stages: <c>llm-cost:apps[1]</c>.</summary>
    public string Key { get; init; } = ListKey;
}

/// <summary>Reads <c>App</c> settings; stops at the first bad key, naming it.</summary>
internal static class AppSettingsReader
{
    public static IReadOnlyList<AppSettings> Read(string source, string? json)
    {
        const string key = StackSettingsReader.Ns + ":apps";
        var items = StackSettingsReader.ListOfObjects(source, key, json);
        if (items.Count == 0)
        {
            throw new ConfigError(source, key, "is required: expected a list of consuming apps, each {name}; every caller authenticates as one of them");
        }

        var apps = new List<AppSettings>();
        foreach (var node in items)
        {
            var name = node.RequiredString("name", StackSettingsReader.NamePattern, StackSettingsReader.NameMeaning);
            if (apps.Any(a => a.Name == name))
            {
                throw node.Error("name", $"app \"{name}\" is declared twice");
            }

            decimal? budget = node.Has("monthlyBudgetUsd") ? node.Decimal("monthlyBudgetUsd", 0, 0.01m, 10_000_000m) : null;
            apps.Add(new AppSettings(name, node.Bool("inferenceProfiles", AppSettings.DefaultInferenceProfiles), budget) { Key = $"{AppSettings.ListKey}[{apps.Count}]" });
            node.RejectUnknown();
        }

        return apps;
    }
}
