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

    /// <param name="localClientIds">
    /// For the local host only: an app whose clientId is still a deploy-time reference (<c>${auth-client-x.id}</c>, as
    /// <c>llm-cost synth</c> prints it) is identified by its name instead. Lambda never sets this.
    /// </param>
    public static RouterConfiguration Parse(string json, bool localClientIds = false)
    {
        RouterConfiguration? config;
        try
        {
            config = JsonSerializer.Deserialize(json, CostModelJsonContext.Default.RouterConfiguration);
        }
        catch (JsonException e)
        {
            throw new RouterConfigurationException($"{RouterConfiguration.EnvironmentVariable}: not a valid configuration document: {e.Message}");
        }

        if (config is null || config.Routes is null || config.Auto?.Tiers is null || config.Apps is null || config.Limits is null || config.Prices is null)
        {
            throw new RouterConfigurationException($"{RouterConfiguration.EnvironmentVariable}: the document lacks routes, auto, apps, limits or prices.");
        }

        var problems = RouterConfigurationValidator.Problems(config);
        if (problems.Count > 0)
        {
            throw new RouterConfigurationException($"{RouterConfiguration.EnvironmentVariable}: " + string.Join("; ", problems));
        }

        if (localClientIds)
        {
            return config with { Apps = config.Apps.Select(a => a.ClientId.Contains("${", StringComparison.Ordinal) ? a with { ClientId = a.Name } : a).ToList() };
        }

        foreach (var app in config.Apps.Where(a => a.ClientId.Contains("${", StringComparison.Ordinal)))
        {
            // An unresolved Pulumi reference means the document was copied from `synth` output, not deployed.
            throw new RouterConfigurationException($"{RouterConfiguration.EnvironmentVariable}: app \"{app.Name}\" has an unresolved clientId \"{app.ClientId}\".");
        }

        return config;
    }
}

internal sealed class RouterConfigurationException(string message) : Exception(message);
