using System.Text.Json;
using LlmCost.CostModel;

namespace LlmCost.Router.Configuration;

/// <summary>
/// Reads the configuration document the program synthesizes into the function's environment
/// (<see cref="RouterConfiguration.EnvironmentVariable"/>) and refuses to start on anything it cannot trust: the
/// function runs with exactly the document the stack synthesized, or not at all.
/// </summary>
internal static class RouterConfigurationLoader
{
    public static RouterConfiguration FromEnvironment(Func<string, string?> environment)
    {
        var json = environment(RouterConfiguration.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new RouterConfigurationException($"{RouterConfiguration.EnvironmentVariable} is not set: the router cannot run without the configuration document the stack synthesizes.");
        }

        return Parse(json);
    }

    /// <param name="local">
    /// For the local host only: deploy-time references (a document from <c>llm-cost synth</c>, not deployed) are
    /// stood in for: an app's client ID by its name, an app's inference profile by the route's own model. A fleet
    /// route whose URL is still a reference cannot be stood in for and is refused. Lambda never sets this.
    /// </param>
    public static RouterConfiguration Parse(string json, bool local = false)
    {
        const string Name = RouterConfiguration.EnvironmentVariable;
        RouterConfiguration? config;
        try
        {
            // The version first: a document from another release is named as such, whatever else in it fails to parse.
            using (var peek = JsonDocument.Parse(json))
            {
                if (peek.RootElement.ValueKind == JsonValueKind.Object
                    && peek.RootElement.TryGetProperty("schemaVersion", out var version)
                    && (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != RouterConfiguration.CurrentSchemaVersion))
                {
                    throw new RouterConfigurationException($"{Name}: {RouterConfigurationValidator.VersionProblem(version.GetRawText())}");
                }
            }

            config = JsonSerializer.Deserialize(json, CostModelJsonContext.Default.RouterConfiguration);
        }
        catch (JsonException e)
        {
            throw new RouterConfigurationException($"{Name}: not a valid configuration document: {(e.Path is { } path ? path + ": " : "")}{e.Message}");
        }

        if (config is null || config.Routes is null || config.Auto?.Tiers is null || config.Apps is null || config.Limits is null || config.Prices is null)
        {
            throw new RouterConfigurationException($"{Name}: the document lacks routes, auto, apps, limits or prices.");
        }

        var problems = RouterConfigurationValidator.Problems(config);
        if (problems.Count > 0)
        {
            throw new RouterConfigurationException($"{Name}: " + string.Join("; ", problems));
        }

        if (local)
        {
            config = config with
            {
                Apps = config.Apps.Select(a => a with
                {
                    ClientId = a.ClientId.IsResolved ? a.ClientId : DeployValue.Of(a.Name),
                    Profiles = a.Profiles.Where(p => p.Arn.IsResolved).ToList(),
                }).ToList(),
            };
        }

        var unresolved = Unresolved(config).ToList();
        if (unresolved.Count > 0)
        {
            // A reference left in means the document was copied from the program, not deployed.
            throw new RouterConfigurationException($"{Name}: not a deployed document: {string.Join("; ", unresolved)} still a deploy-time reference.");
        }

        return config;
    }

    private static IEnumerable<string> Unresolved(RouterConfiguration config)
    {
        for (var i = 0; i < config.Apps.Count; i++)
        {
            var app = config.Apps[i];
            if (!app.ClientId.IsResolved)
            {
                yield return $"apps[{i}].clientId ({app.ClientId})";
            }

            for (var j = 0; j < app.Profiles.Count; j++)
            {
                if (!app.Profiles[j].Arn.IsResolved)
                {
                    yield return $"apps[{i}].profiles[{j}].arn ({app.Profiles[j].Arn})";
                }
            }
        }

        for (var i = 0; i < config.Routes.Count; i++)
        {
            if (config.Routes[i].Transport?.Url is { IsResolved: false } url)
            {
                yield return $"routes[{i}].transport.url ({url})";
            }
        }
    }
}

internal sealed class RouterConfigurationException(string message) : Exception(message);
