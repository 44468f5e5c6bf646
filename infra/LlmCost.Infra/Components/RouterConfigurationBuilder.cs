using System.Text.Json;
using System.Text.Json.Nodes;
using LlmCost.CostModel;
using LlmCost.CostModel.Vocabulary;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;

namespace LlmCost.Infra.Components;

/// <summary>
/// Builds the router's configuration document from the settings, the prices and the deploy-time IDs (OAuth
/// client IDs, inference profile ARNs), validates it, and checks that it fits Lambda's 4 KB environment.
/// </summary>
internal static class RouterConfigurationBuilder
{
    /// <summary>Longest value a deploy-time reference can take here (an application inference profile ARN).</summary>
    private const int LongestResolvedReference = 120;

    public static RouterConfiguration Build(StackContext context, AppIdentityOutputs identity, IReadOnlyList<IRouterBackend> backends, BudgetStoreConfiguration? budgets)
    {
        var settings = context.Settings;
        var routes = settings.Routes.Select(route => new RouteConfiguration(
            Name: route.Name,
            Backend: route.Backend,
            ModelId: route.Model,
            InvokeId: backends.Select(b => b.InvokeId(route)).FirstOrDefault(id => id is not null)
                ?? throw new ConfigError(settings.Source, $"{route.Key}.backend", $"route \"{route.Name}\": no deployed backend serves {route.Backend.Name()}"),
            MaxInputTokens: route.MaxInputTokens,
            MaxOutputTokens: route.MaxOutputTokens,
            TrimInput: route.TrimInput,
            Fallback: route.Fallback,
            Prices: context.Costs.Route(route.Name).Prices,
            Transport: backends.Select(b => b.Transport(route)).FirstOrDefault(t => t is not null))).ToList();

        var apps = settings.Apps.Select(app => new AppConfiguration(
            app.Name,
            DeployValue.Of(new DeployReference(identity.Clients[app.Name].Name, "id")),
            backends.SelectMany(b => b.AppHandles).Where(h => h.App == app.Name)
                .Select(h => new AppInferenceProfile(h.Route, DeployValue.Of(new DeployReference(h.Resource.Name, h.Property)))).ToList(),
            app.MonthlyBudgetUsd)).ToList();

        var config = new RouterConfiguration(
            SchemaVersion: RouterConfiguration.CurrentSchemaVersion,
            Stack: settings.Stack,
            Region: settings.Region,
            LogPrompts: settings.Router.LogPrompts,
            Limits: new RequestLimits(settings.Gateway.MaxMessages, settings.Gateway.MaxMessageChars),
            Routes: routes,
            Auto: new AutoRouting(settings.AutoRouting.Tiers.Select(t => new AutoRoutingTier(t.Route, t.MaxScore)).ToList(), settings.AutoRouting.AllowExplicitModels),
            Apps: apps,
            Prices: new PriceProvenance(context.Costs.Prices.Source, context.Costs.PricesAsOf),
            Budgets: budgets);

        var problems = RouterConfigurationValidator.Problems(config);
        if (problems.Count > 0)
        {
            throw new SynthesisException("router: the configuration document is inconsistent: " + string.Join("; ", problems));
        }

        return config;
    }

    /// <summary>
    /// The document as a program value: <c>fn::toJSON</c> of a map in which each <see cref="DeployValue"/> still a
    /// reference becomes a Pulumi reference; every other string is a literal (a <c>${</c> in one stays text).
    /// </summary>
    public static Value ToProgramValue(RouterConfiguration config, string source)
    {
        var json = JsonSerializer.Serialize(config, CostModelJsonContext.Default.RouterConfiguration);
        var template = Template(JsonNode.Parse(json));
        // The function's other variable (streaming on) shares the 4 KB.
        var estimatedBytes = json.Length + (template.References().Count() * LongestResolvedReference)
            + RouterConfiguration.EnvironmentVariable.Length + ApiSurface.ResponseStreamingVariable.Length + RouterFunction.StreamingOn.Length;
        if (estimatedBytes > RouterConfiguration.MaxEnvironmentBytes)
        {
            throw new ConfigError(source, $"{StackSettingsReader.Ns}:routes",
                $"the router configuration would need about {estimatedBytes} bytes of environment, over Lambda's {RouterConfiguration.MaxEnvironmentBytes}; "
                + "use fewer routes, apps or per-app inference profiles");
        }

        return Expr.ToJson(template);
    }

    private static Value Template(JsonNode? node) => Value.FromJson(node, o =>
        o.Count == 1 && o[DeployValueJsonConverter.ReferenceProperty] is JsonObject
            ? Reference(o.Deserialize(CostModelJsonContext.Default.DeployValue)!.Reference!)
            : null);

    private static Value Reference(DeployReference r)
    {
        var reference = new ReferenceValue(r.Resource, r.Property);
        return r.Prefix.Length == 0 && r.Suffix.Length == 0
            ? reference
            : new InterpolationValue(new object[] { r.Prefix, reference, r.Suffix }.Where(p => p is not "").ToList());
    }
}
