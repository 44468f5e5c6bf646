using LlmCost.CostModel;

namespace LlmCost.Router.Configuration;

/// <summary>Lookups over the configuration: routes by name or model ID, apps by OAuth client ID.</summary>
internal sealed class RouteTable
{
    public const string Auto = "auto";

    private readonly Dictionary<string, RouteConfiguration> _byName;
    private readonly Dictionary<string, RouteConfiguration> _byModelId;
    private readonly Dictionary<string, AppConfiguration> _appsByClientId;

    public RouteTable(RouterConfiguration config)
    {
        Config = config;
        _byName = config.Routes.ToDictionary(r => r.Name, StringComparer.Ordinal);

        // A model ID names the first route that serves it (a fleet route and its Bedrock twin may share a family, not an ID).
        _byModelId = new Dictionary<string, RouteConfiguration>(StringComparer.Ordinal);
        foreach (var route in config.Routes)
        {
            _byModelId.TryAdd(route.ModelId, route);
        }

        _appsByClientId = config.Apps.ToDictionary(a => a.ClientId.Resolved, StringComparer.Ordinal);
        AllowedModels = config.Auto.AllowExplicitModels
            ? [Auto, .. config.Routes.Select(r => r.Name)]
            : [Auto];
    }

    public RouterConfiguration Config { get; }

    /// <summary>What a client may put in <c>model</c>: <c>auto</c>, and the route names where explicit models are allowed (model IDs work too).</summary>
    public IReadOnlyList<string> AllowedModels { get; }

    public RouteConfiguration Route(string name) => _byName[name];

    public RouteConfiguration? FindExplicit(string model) =>
        _byName.TryGetValue(model, out var byName) ? byName
        : _byModelId.TryGetValue(model, out var byId) ? byId
        : null;

    public AppConfiguration? FindApp(string clientId) => _appsByClientId.GetValueOrDefault(clientId);
}
