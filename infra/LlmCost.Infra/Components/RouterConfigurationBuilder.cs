using System.Text.Json;
using System.Text.Json.Nodes;
using LlmCost.CostModel;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;

namespace LlmCost.Infra.Components;

/// <summary>
/// Builds the router's configuration document from the settings, the prices and the deploy-time IDs (OAuth
/// client IDs, inference profile ARNs), validates it, and checks that it fits Lambda's 4 KB environment.
/// </summary>
public static class RouterConfigurationBuilder
{
    /// <summary>Longest value a deploy-time reference can take here (an application inference profile ARN).</summary>
    private const int LongestResolvedReference = 120;

    public static RouterConfiguration Build(StackContext context, AppIdentityOutputs identity, IReadOnlyList<IRouterBackend> backends, BudgetStoreConfiguration? budgets)
    {
        var settings = context.Settings;
        var routes = settings.Routes.Select((route, index) => new RouteConfiguration(
            Name: route.Name,
            Backend: route.Backend,
            ModelId: route.Model,
            InvokeId: backends.Select(b => b.InvokeId(route)).FirstOrDefault(id => id is not null)
                ?? throw new ConfigError(settings.Source, $"{StackSettingsReader.Ns}:routes[{index}].backend", $"route \"{route.Name}\": no deployed backend serves {route.Backend}"),
            MaxInputTokens: route.MaxInputTokens,
            MaxOutputTokens: route.MaxOutputTokens,
            TrimInput: route.TrimInput,
            Fallback: route.Fallback,
            Prices: context.Costs.Route(route.Name).Prices)).ToList();

        var apps = settings.Apps.Select(app => new AppConfiguration(
            app.Name,
            "${" + identity.Clients[app.Name].Name + ".id}",
            backends.SelectMany(b => b.AppHandles).Where(h => h.App == app.Name)
                .Select(h => new AppInferenceProfile(h.Route, "${" + h.Resource.Name + "." + h.Property + "}")).ToList(),
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

    /// <summary>The document as a program value: <c>fn::toJSON</c> of a map whose deploy-time IDs are references.</summary>
    public static Value ToProgramValue(RouterConfiguration config, string source)
    {
        var json = JsonSerializer.Serialize(config, CostModelJsonContext.Default.RouterConfiguration);
        var template = Value.FromJsonTemplate(JsonNode.Parse(json));
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
}
