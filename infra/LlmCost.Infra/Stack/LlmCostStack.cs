using LlmCost.Infra.Components;
using LlmCost.Infra.Components.Analytics;
using LlmCost.Infra.Components.SpendGuard;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Stack;

/// <summary>The synthesized stack: the program, the cost plan it was built with, and the router configuration it carries.</summary>
/// <param name="Notes">What the user must know about this deployment beyond its settings (shown first in the plan).</param>
public sealed record SynthesizedStack(StackSettings Settings, CostPlan Costs, ProgramDocument Program, CostModel.RouterConfiguration RouterConfiguration, bool BundleBuilt, IReadOnlyList<string> Notes);

/// <summary>Puts the components together in dependency order and declares the stack outputs.</summary>
public static class LlmCostStack
{
    public static SynthesizedStack Synthesize(StackSettings settings, CostPlan costs, BundleLocator bundles)
    {
        var context = new StackContext(settings, costs, bundles);
        context.Notes.AddRange(costs.ModelWarnings);

        // The stack, top down: each component and what feeds it.
        var stack = new StackRoot(context);
        _ = new AwsProvider(stack, new AwsProviderArgs(settings.Region, settings.Stack, settings.Tags));
        var accountStack = Account.AccountReference.Declare(context.Program, settings.AccountStack);
        var identity = new AppIdentity(stack, new AppIdentityArgs(settings.Apps, settings.Gateway.AuthDomainPrefix, settings.Gateway.TokenValidityMinutes)).Outputs;
        IRouterBackend[] backends = [new BedrockAccess(stack, new BedrockAccessArgs(settings.Routes, settings.Apps))];
        var budgets = settings.Apps.Any(a => a.MonthlyBudgetUsd is not null) ? new BudgetStore(stack, new BudgetStoreArgs(settings.Router.BudgetStoreUnavailable)) : null;
        var configuration = RouterConfigurationBuilder.Build(context, identity, backends, budgets?.Configuration);
        var router = new RouterFunction(stack, new RouterFunctionArgs(settings.Router, configuration, backends, budgets is null ? [] : [budgets])).Outputs;
        var gateway = new Gateway(stack, new GatewayArgs(settings.Gateway, identity, router, accountStack)).Outputs;

        // Spend you can see and stop: thresholds from the plan, one topic, alarms, a dashboard and a budget.
        var thresholds = SpendThresholds.From(settings, costs, configuration);
        var notifications = new Notifications(stack, settings.Alerts).Outputs;
        _ = new SpendAlarms(stack, new SpendAlarmsArgs(thresholds, notifications, gateway.ApiName, gateway.StageName, gateway.AccessLogGroup,
            router.FunctionName, router.LogGroup, Ref(router.LogGroup.Name, "name")));
        _ = new CostDashboard(stack, new CostDashboardArgs(thresholds, gateway.ApiName, gateway.StageName, router.FunctionName));
        _ = new CostBudget(stack, new CostBudgetArgs(thresholds, notifications));

        // Every request's record kept and queryable: log group -> Firehose -> S3 (Parquet) -> Glue -> Athena.
        var analytics = settings.Analytics.Enabled
            ? new UsageAnalytics(stack, new UsageAnalyticsArgs(settings.Analytics, Ref(router.LogGroup.Name, "name"))).Outputs
            : null;

        var program = context.Program;
        program.AddOutput("apiEndpoint", gateway.Endpoint);
        program.AddOutput("tokenUrl", identity.TokenUrl);
        program.AddOutput("tokenScope", AppIdentity.InvokeScope);
        program.AddOutput("appClientIds", new MapValue(identity.Clients.Select(c => new KeyValuePair<string, Value>(c.Key, Ref(c.Value.Name, "id")))));
        program.AddOutput("routerFunctionName", router.FunctionName);
        program.AddOutput("routerLogGroup", router.LogGroupName);
        program.AddOutput("routerPriceTable", new MapValue(configuration.Routes.Select(r => new KeyValuePair<string, Value>(r.Name, Map(
            ("backend", r.Backend),
            ("model", r.ModelId),
            ("inputUsdPer1M", r.Prices.InputPer1M),
            ("outputUsdPer1M", r.Prices.OutputPer1M),
            ("maxInputTokens", r.MaxInputTokens),
            ("maxOutputTokens", r.MaxOutputTokens),
            ("priceSource", ServedPrice(settings, costs, r).Origin.ToString()))))));
        CostOutputs.Add(program, costs);
        program.AddOutput("spendThresholds", Map(
            ("hourlyUsd", thresholds.HourlyUsd), ("dailyUsd", thresholds.DailyUsd), ("monthlyBudgetUsd", thresholds.MonthlyBudgetUsd), ("basis", thresholds.Basis)));
        program.AddOutput("alertTopicArn", notifications.TopicArn);
        if (analytics is not null)
        {
            program.AddOutput("usageAnalytics", Map(
                ("bucket", analytics.BucketName), ("database", analytics.DatabaseName), ("table", analytics.TableName),
                ("deliveryStream", analytics.StreamName), ("athenaWorkgroup", analytics.WorkgroupName)));
        }

        if (context.Notes.Count > 0)
        {
            program.AddOutput("deploymentNotes", Strings(context.Notes));
        }

        return new SynthesizedStack(settings, costs, program.Build(), configuration, bundles.IsBuilt(settings.Router.Architecture), context.Notes.ToList());
    }

    /// <summary>The plan's price for what the route really calls: a fleet route served by a Bedrock fallback is priced as that fallback.</summary>
    private static RoutePrice ServedPrice(StackSettings settings, CostPlan costs, CostModel.RouteConfiguration route) =>
        settings.Route(route.Name).IsBedrock
            ? costs.Route(route.Name)
            : costs.Route(settings.Routes.First(r => r.IsBedrock && r.InvokeModelId == route.InvokeId).Name);
}
