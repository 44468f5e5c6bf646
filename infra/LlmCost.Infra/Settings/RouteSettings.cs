using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Settings;

/// <summary>A route the router can take: one model on one backend, with its limits.</summary>
/// <param name="Name">What clients may ask for as <c>model</c>, and what records and metrics name.</param>
/// <param name="Backend"><c>bedrock</c> or <c>fleet</c>.</param>
/// <param name="Model">Bedrock model ID, or the fleet's model name.</param>
/// <param name="CrossRegion">Bedrock cross-region inference profile geography (<c>us</c>, <c>eu</c>, <c>apac</c>, <c>global</c>); default none (in-region).</param>
/// <param name="MaxInputTokens">Larger prompts are rejected with 413, or trimmed where <paramref name="TrimInput"/>.</param>
/// <param name="MaxOutputTokens">Every request's output is capped here.</param>
/// <param name="TrimInput">Trim whitespace and duplicate context before rejecting (default false).</param>
/// <param name="Fallback">Route to take when this one fails or is unhealthy (default none).</param>
internal sealed record RouteSettings(
    string Name,
    Backend Backend,
    string Model,
    string? CrossRegion,
    int MaxInputTokens,
    int MaxOutputTokens,
    bool TrimInput,
    string? Fallback)
{
    public const string ListKey = StackFileReader.ProjectNamespace + ":routes";
    public const bool DefaultTrimInput = false;

    /// <summary>Where this route is declared, for messages from later stages: <c>llm-cost:routes[2]</c>.</summary>
    public string Key { get; init; } = ListKey;

    public bool IsBedrock => Backend == Backend.Bedrock;

    /// <summary>The ID the router sends to Bedrock: the model, or its cross-region profile.</summary>
    public string InvokeModelId => CrossRegion is null ? Model : $"{CrossRegion}.{Model}";
}

/// <summary>Reads <c>Route</c> settings; stops at the first bad key, naming it.</summary>
internal static class RouteSettingsReader
{
    public static IReadOnlyList<RouteSettings> Read(string source, string? json, FleetSettings? fleet)
    {
        const string key = StackSettingsReader.Ns + ":routes";
        var items = StackSettingsReader.ListOfObjects(source, key, json);
        if (items.Count == 0)
        {
            throw new ConfigError(source, key, "is required: expected a list of routes, each {name, backend, model, maxInputTokens, maxOutputTokens}");
        }

        var routes = new List<RouteSettings>();
        foreach (var node in items)
        {
            var name = node.RequiredString("name", StackSettingsReader.NamePattern, StackSettingsReader.NameMeaning);
            if (name == "auto")
            {
                throw node.Error("name", "\"auto\" is reserved for automatic routing; choose another route name");
            }

            if (routes.Any(r => r.Name == name))
            {
                throw node.Error("name", $"route \"{name}\" is declared twice");
            }

            var backend = node.OneOf("backend", Backend.Bedrock, Backends.Vocabulary);
            var model = backend == Backend.Bedrock
                ? node.RequiredString("model", "^[a-z0-9-]+\\.[A-Za-z0-9._:-]+$", "a Bedrock model ID such as amazon.nova-lite-v1:0")
                : node.RequiredString("model", "^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$", "the fleet's model name");
            if (backend == Backend.Fleet && fleet is null)
            {
                throw node.Error("backend", $"route \"{name}\" uses the fleet, but the stack has none ({StackSettingsReader.Ns}:fleet.platform)");
            }

            if (backend == Backend.Fleet && model != fleet!.ModelName)
            {
                throw node.Error("model", $"the fleet serves \"{fleet.ModelName}\" ({StackSettingsReader.Ns}:fleet.modelName), got \"{model}\"");
            }

            string? crossRegion = null;
            if (node.Has("crossRegion"))
            {
                crossRegion = backend == Backend.Bedrock
                    ? node.OneOf("crossRegion", "us", "us", "eu", "apac", "global")
                    : throw node.Error("crossRegion", "applies to Bedrock routes only");
            }

            routes.Add(new RouteSettings(
                Name: name,
                Backend: backend,
                Model: model,
                CrossRegion: crossRegion,
                MaxInputTokens: node.RequiredInt("maxInputTokens", 1, 2_000_000),
                MaxOutputTokens: node.RequiredInt("maxOutputTokens", 1, 200_000),
                TrimInput: node.Bool("trimInput", RouteSettings.DefaultTrimInput),
                Fallback: node.String("fallback")) { Key = $"{RouteSettings.ListKey}[{routes.Count}]" });
            node.RejectUnknown();
        }

        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            if (route.Fallback is null)
            {
                continue;
            }

            var where = $"{key}[{i}].fallback";
            if (routes.All(r => r.Name != route.Fallback))
            {
                throw new ConfigError(source, where, $"names no route; routes: {string.Join(", ", routes.Select(r => r.Name))}");
            }

            // Follow the chain: a cycle would bounce a failing request between routes until the deadline.
            var seen = new HashSet<string> { route.Name };
            for (var next = route.Fallback; next is not null; next = routes.First(r => r.Name == next).Fallback)
            {
                if (!seen.Add(next))
                {
                    throw new ConfigError(source, where, $"fallbacks form a cycle: {string.Join(" -> ", seen)} -> {next}");
                }
            }
        }

        return routes;
    }
}
