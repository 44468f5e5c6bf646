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
        var routes = settings.Routes.Select(route => route.IsBedrock || ProgramCapabilities.DeploysFleet
            ? new RouteConfiguration(
                Name: route.Name,
                Backend: route.Backend,
                ModelId: route.Model,
                InvokeId: route.InvokeModelId,
                MaxInputTokens: route.MaxInputTokens,
                MaxOutputTokens: route.MaxOutputTokens,
                TrimInput: route.TrimInput,
                Fallback: route.Fallback,
                Prices: context.Costs.Route(route.Name).Prices)
            : ServedByFallback(context, route)).ToList();

        // A route served by another's model uses that route's app profile too, so its spend stays tagged by app.
        var servedAs = routes.Where(r => settings.Route(r.Name).Backend != r.Backend)
            .Select(r => (Route: r.Name, Target: settings.Routes.First(t => t.IsBedrock && t.InvokeModelId == r.InvokeId).Name)).ToList();
        var apps = settings.Apps.Select(app =>
        {
            var handles = backends.SelectMany(b => b.AppHandles).Where(h => h.App == app.Name).ToList();
            var profiles = handles.Select(h => new AppInferenceProfile(h.Route, "${" + h.Resource.Name + "." + h.Property + "}"))
                .Concat(servedAs.SelectMany(s => handles.Where(h => h.Route == s.Target)
                    .Select(h => new AppInferenceProfile(s.Route, "${" + h.Resource.Name + "." + h.Property + "}"))))
                .ToList();
            return new AppConfiguration(app.Name, "${" + identity.Clients[app.Name].Name + ".id}", profiles, app.MonthlyBudgetUsd);
        }).ToList();

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
    /// This version of the program deploys no fleet (its components come with the fleet issue), so a route
    /// configured for the fleet would call an endpoint that does not exist. Its traffic goes to the first Bedrock
    /// route down its fallback chain, under the route's own name and caps, and the plan says so.
    /// </summary>
    private static RouteConfiguration ServedByFallback(StackContext context, RouteSettings route)
    {
        var settings = context.Settings;
        var index = settings.Routes.ToList().IndexOf(route);
        RouteSettings? target = null;
        for (var next = route.Fallback; next is not null && target is null; next = settings.Route(next).Fallback)
        {
            target = settings.Route(next).IsBedrock ? settings.Route(next) : null;
        }

        if (target is null)
        {
            throw new ConfigError(settings.Source, $"{StackSettingsReader.Ns}:routes[{index}].fallback",
                $"route \"{route.Name}\" uses the fleet, which this version of llm-cost does not deploy yet: it needs a Bedrock route in its fallback chain to serve its traffic");
        }

        context.Notes.Add($"route {route.Name} is configured for the fleet ({settings.Fleet.Platform} {settings.Fleet.InstanceType}), which this version does not deploy yet: "
            + $"its traffic goes to {target.Name} ({target.InvokeModelId}) at Bedrock prices; the plan's fleet, Savings Plan and break-even figures describe the configured fleet, not this deployment");
        return new RouteConfiguration(
            Name: route.Name,
            Backend: "bedrock",
            ModelId: target.Model,
            InvokeId: target.InvokeModelId,
            MaxInputTokens: route.MaxInputTokens,
            MaxOutputTokens: route.MaxOutputTokens,
            TrimInput: route.TrimInput,
            Fallback: target.Fallback,
            Prices: context.Costs.Route(target.Name).Prices);
    }

    /// <summary>The document as a program value: <c>fn::toJSON</c> of a map whose deploy-time IDs are references.</summary>
    public static Value ToProgramValue(RouterConfiguration config, string source)
    {
        var json = JsonSerializer.Serialize(config, CostModelJsonContext.Default.RouterConfiguration);
        var template = Value.FromJsonTemplate(JsonNode.Parse(json));
        var estimatedBytes = json.Length + (template.References().Count() * LongestResolvedReference)
            + RouterConfiguration.EnvironmentVariable.Length;
        if (estimatedBytes > RouterConfiguration.MaxEnvironmentBytes)
        {
            throw new ConfigError(source, $"{StackSettingsReader.Ns}:routes",
                $"the router configuration would need about {estimatedBytes} bytes of environment, over Lambda's {RouterConfiguration.MaxEnvironmentBytes}; "
                + "use fewer routes, apps or per-app inference profiles");
        }

        return Expr.ToJson(template);
    }
}
