using LlmCost.Infra.Components;
using LlmCost.Infra.Components.Analytics;
using LlmCost.Infra.Components.Fleet;
using LlmCost.Infra.Components.SpendGuard;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Stack;

/// <summary>The synthesized stack: the program, the cost plan it was built with, and the router configuration it carries.</summary>
/// <param name="Notes">What the user must know about this deployment beyond its settings (shown first in the plan).</param>
internal sealed record SynthesizedStack(StackSettings Settings, CostPlan Costs, ProgramDocument Program, CostModel.RouterConfiguration RouterConfiguration, bool BundleBuilt, IReadOnlyList<string> Notes)
{
    /// <summary>The component tree the program was built from.</summary>
    public StackRoot? Components { get; init; }
}

/// <summary>Puts the components together in dependency order and declares the stack outputs.</summary>
internal static class LlmCostStack
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
        IRouterBackend? fleet = settings.Fleet?.Platform switch
        {
            FleetPlatform.SageMaker => new SageMakerFleet(stack, SageMakerFleetArgs.From(settings, costs)),
            FleetPlatform.Ecs => new EcsFleet(stack, EcsFleetArgs.From(settings, costs)),
            _ => null,
        };
        var sageMaker = fleet as SageMakerFleet;
        IRouterBackend[] backends = [new BedrockAccess(stack, new BedrockAccessArgs(settings.Routes, settings.Apps)), .. fleet is null ? Array.Empty<IRouterBackend>() : [fleet]];
        var budgets = settings.Apps.Any(a => a.MonthlyBudgetUsd is not null) ? new BudgetStore(stack, new BudgetStoreArgs(settings.Router.BudgetStoreUnavailable)) : null;
        var configuration = RouterConfigurationBuilder.Build(context, identity, backends, budgets?.Configuration);
        var router = new RouterFunction(stack, new RouterFunctionArgs(settings.Router, configuration, backends, budgets is null ? [] : [budgets])).Outputs;
        var gateway = new Gateway(stack, new GatewayArgs(settings.Gateway, identity, router, accountStack)).Outputs;

        // Spend you can see and stop: thresholds from the plan, one topic, alarms, a dashboard and a budget.
        var thresholds = SpendThresholds.From(settings, costs);
        if (settings.Apps.All(a => a.MonthlyBudgetUsd is not null) && settings.Apps.Sum(a => a.MonthlyBudgetUsd!.Value) is var appBudgets && appBudgets < thresholds.RouterMonthlyUsdP50)
        {
            // Every app capped below what the plan expects them to spend: the router will refuse before month end.
            context.Notes.Add($"the apps' monthly budgets (llm-cost:apps[].monthlyBudgetUsd) total {appBudgets:N2} USD, below the {thresholds.RouterMonthlyUsdP50:N2} USD the plan expects the router to spend in a median month: "
                + $"at the planned demand the router refuses requests with budget_exceeded after about day {Math.Floor(appBudgets / thresholds.RouterMonthlyUsdP50 * DemandProfile.HoursPerMonth / 24m)}; raise the budgets or lower the demand");
        }

        if (settings.Apps.Any(a => !a.InferenceProfiles))
        {
            context.Notes.Add($"the AWS Budget filters by the llm-cost:stack cost allocation tag, which Bedrock usage carries only through application inference profiles: "
                + $"the Bedrock spend of {string.Join(", ", settings.Apps.Where(a => !a.InferenceProfiles).Select(a => a.Name))} (inferenceProfiles: false) is not in it; the spend alarms see all of it");
        }
        var notifications = new Notifications(stack, settings.Alerts).Outputs;
        _ = new SpendAlarms(stack, new SpendAlarmsArgs(thresholds, notifications, gateway.ApiName, gateway.StageName, gateway.AccessLogGroup,
            router.FunctionName, router.LogGroup, Ref(router.LogGroup.Name, "name")));
        _ = new CostDashboard(stack, new CostDashboardArgs(thresholds, gateway.ApiName, gateway.StageName, router.FunctionName,
            fleet switch
            {
                SageMakerFleet s => new DashboardFleet(s.Outputs.EndpointName, SageMakerFleet.VariantName, s.Outputs.Scaling.MinInstances, s.Outputs.Scaling.MaxInstances),
                EcsFleet e => new DashboardFleet(e.Outputs.ServiceName, "", e.Outputs.Scaling.MinInstances, e.Outputs.Scaling.MaxInstances, e.Outputs.LoadBalancerDimension, e.Outputs.TargetGroupDimension),
                _ => null,
            }));
        _ = new CostBudget(stack, new CostBudgetArgs(thresholds, notifications));
        if (sageMaker is not null)
        {
            _ = new FleetAlarms(stack, new FleetAlarmsArgs(sageMaker.Outputs.EndpointName, SageMakerFleet.VariantName, sageMaker.Outputs.Scaling.MaxInstances,
                sageMaker.Outputs.InvocationsPerInstancePerMinute, notifications.AlarmActions));
        }

        if (fleet is EcsFleet ecsFleet)
        {
            _ = new EcsFleetAlarms(stack, new EcsFleetAlarmsArgs(ecsFleet.Outputs.LoadBalancerDimension, ecsFleet.Outputs.TargetGroupDimension, ecsFleet.Outputs.Scaling.MaxInstances,
                ecsFleet.Outputs.InvocationsPerInstancePerMinute, notifications.AlarmActions, ScalesToZero: settings.Fleet!.ScalesToZero));
        }

        if (costs.SavingsPlans?.Recommended is { } plan)
        {
            // Warn 10 points below the utilization the recommendation expects (it is sized to be used nearly fully).
            _ = new SavingsPlanUtilizationBudget(stack, new SavingsPlanUtilizationBudgetArgs(
                Math.Clamp((int)Math.Floor(plan.Utilisation * 100m) - 10, 1, 99), notifications));
        }

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
        if (sageMaker is not null)
        {
            program.AddOutput("fleetEndpointName", sageMaker.Outputs.EndpointName);
            program.AddOutput("fleetScaling", Map(
                ("minInstances", sageMaker.Outputs.Scaling.MinInstances), ("maxInstances", sageMaker.Outputs.Scaling.MaxInstances), ("image", sageMaker.Outputs.Image)));
        }

        if (fleet is EcsFleet ecs)
        {
            program.AddOutput("fleetServiceName", ecs.Outputs.ServiceName);
            program.AddOutput("fleetUrl", ecs.Outputs.Url);
            program.AddOutput("fleetScaling", Map(
                ("minInstances", ecs.Outputs.Scaling.MinInstances), ("maxInstances", ecs.Outputs.Scaling.MaxInstances), ("image", ecs.Outputs.Image)));
        }

        program.AddOutput("routerPriceTable", new MapValue(configuration.Routes.Select(r => new KeyValuePair<string, Value>(r.Name, Map(
            ("backend", r.Backend.Name()),
            ("model", r.ModelId),
            ("inputUsdPer1M", r.Prices.InputPer1M),
            ("outputUsdPer1M", r.Prices.OutputPer1M),
            ("maxInputTokens", r.MaxInputTokens),
            ("maxOutputTokens", r.MaxOutputTokens),
            ("priceSource", costs.Route(r.Name).Origin.ToString()))))));
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

        return new SynthesizedStack(settings, costs, program.Build(), configuration, bundles.IsBuilt(settings.Router.Architecture), context.Notes.ToList())
        {
            Components = stack,
        };
    }
}
