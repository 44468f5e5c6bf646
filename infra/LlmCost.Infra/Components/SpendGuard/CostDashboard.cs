using LlmCost.CostModel;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.SpendGuard;

/// <summary>
/// One CloudWatch dashboard per stack: spend per hour against the plan, cost per model, route and app, tokens in
/// and out, requests by outcome, and latency at the gateway and the router. Breakdowns use SEARCH over the metric
/// contract's dimension sets, so a new route or app appears without a redeploy.
/// </summary>
internal sealed class CostDashboard : Component
{
    public CostDashboard(Component parent, CostDashboardArgs args) : base(parent, "dashboard")
    {
        var stack = Context.Settings.Stack;
        var region = Context.Region;
        var widgets = new List<Value>
        {
            Widget(0, 0, 24, "Router-recorded spend per hour (USD) against the plan", Map(
                    ("metrics", List(List(UsageMetrics.Namespace, UsageMetrics.CostUsd.Name, UsageMetrics.StackDimension, stack, Map(("stat", "Sum"), ("period", 3600), ("label", "actual"))))),
                    ("annotations", Map(("horizontal", List(
                        Map(("label", "plan: mean hour (P50)"), ("value", args.Thresholds.ExpectedHourlyUsd)),
                        Map(("label", "alarm: P90 busiest hour x margin"), ("value", args.Thresholds.HourlyUsd), ("color", "#d62728"))))))),
                region),
        };

        var x = 0;
        foreach (var dimension in new[] { UsageMetrics.ModelDimension, UsageMetrics.RouteDimension, UsageMetrics.AppDimension })
        {
            widgets.Add(Widget(x, 6, 8, $"Cost per {dimension} (USD per hour)", Search(stack, dimension, UsageMetrics.CostUsd.Name), region));
            x += 8;
        }

        widgets.Add(Widget(0, 12, 8, "Tokens per hour", Map(("metrics", List(
            List(UsageMetrics.Namespace, UsageMetrics.InputTokens.Name, UsageMetrics.StackDimension, stack, Map(("stat", "Sum"), ("period", 3600), ("label", "input"))),
            List(UsageMetrics.Namespace, UsageMetrics.OutputTokens.Name, UsageMetrics.StackDimension, stack, Map(("stat", "Sum"), ("period", 3600), ("label", "output")))))), region));
        widgets.Add(Widget(8, 12, 8, "Requests by outcome", Map(("metrics", List(List(Map(
            ("expression", $"SEARCH('{{{UsageMetrics.Namespace},{UsageMetrics.StackDimension},{SpendAlarms.OutcomeDimension}}} {UsageMetrics.StackDimension}=\"{stack}\" MetricName=\"{SpendAlarms.RequestsByOutcomeMetric}\"', 'Sum', 300)"),
            ("id", "outcomes")))))), region));
        widgets.Add(Widget(16, 12, 8, "Latency (ms)", Map(("metrics", List(
            List("AWS/ApiGateway", "Latency", "ApiName", args.ApiName, "Stage", args.StageName, Map(("stat", "p99"), ("label", "gateway p99"))),
            List("AWS/ApiGateway", "Latency", "ApiName", args.ApiName, "Stage", args.StageName, Map(("stat", "p50"), ("label", "gateway p50"))),
            List("AWS/Lambda", "Duration", "FunctionName", args.FunctionName, Map(("stat", "p99"), ("label", "router p99"))),
            List(UsageMetrics.Namespace, UsageMetrics.LatencyMs.Name, UsageMetrics.StackDimension, stack, Map(("stat", "p99"), ("label", "request p99 (router records)")))))), region));

        if (args.Fleet is { TargetGroup: { } targetGroup, LoadBalancer: { } loadBalancer } ecsFleet)
        {
            // On ECS the load balancer's target group counts the serving tasks, one per instance.
            var requests = List("AWS/ApplicationELB", "RequestCount", "LoadBalancer", loadBalancer, "TargetGroup", targetGroup,
                Map(("stat", "Sum"), ("period", 300), ("label", "requests per 5 min"), ("yAxis", "right")));
            var healthy = List("AWS/ApplicationELB", "HealthyHostCount", "LoadBalancer", loadBalancer, "TargetGroup", targetGroup,
                Map(("stat", "Minimum"), ("period", 300), ("label", "instances serving")));
            var bounds = Map(("horizontal", List(
                Map(("label", "minimum (Savings Plan baseline)"), ("value", ecsFleet.MinInstances)),
                Map(("label", "maximum (burst)"), ("value", ecsFleet.MaxInstances), ("color", "#d62728")))));
            widgets.Add(Widget(0, 18, 24, "Fleet size against demand", Map(("metrics", List(requests, healthy)), ("annotations", bounds)), region));
        }
        else if (args.Fleet is { } fleet)
        {
            // SageMaker publishes no instance count for real-time endpoints: instances = invocations / invocations per instance.
            var invocations = List("AWS/SageMaker", "Invocations", "EndpointName", fleet.EndpointName, "VariantName", fleet.VariantName,
                Map(("stat", "Sum"), ("period", 300), ("id", "invocations"), ("label", "invocations per 5 min"), ("yAxis", "right")));
            var perInstance = List("AWS/SageMaker", "InvocationsPerInstance", "EndpointName", fleet.EndpointName, "VariantName", fleet.VariantName,
                Map(("stat", "Sum"), ("period", 300), ("id", "perInstance"), ("visible", false)));
            var instances = List(Map(("expression", "invocations / perInstance"), ("id", "instances"), ("label", "instances serving")));
            var bounds = Map(("horizontal", List(
                Map(("label", "minimum (Savings Plan baseline)"), ("value", fleet.MinInstances)),
                Map(("label", "maximum (burst)"), ("value", fleet.MaxInstances), ("color", "#d62728")))));
            widgets.Add(Widget(0, 18, 24, "Fleet size against demand", Map(("metrics", List(invocations, perInstance, instances)), ("annotations", bounds)), region));
        }

        Add("dashboard", "aws:cloudwatch/dashboard:Dashboard", Map(
            ("dashboardName", AwsNames.DashboardName.Join("-", Context.NamePrefix)),
            ("dashboardBody", ToJson(Map(("widgets", List(widgets)))))));
    }

    private static MapValue Search(string stack, string dimension, string metric) => Map(("metrics", List(List(Map(
        ("expression", $"SEARCH('{{{UsageMetrics.Namespace},{UsageMetrics.StackDimension},{dimension}}} {UsageMetrics.StackDimension}=\"{stack}\" MetricName=\"{metric}\"', 'Sum', 3600)"),
        ("id", "by" + dimension))))));

    private static MapValue Widget(int x, int y, int width, string title, MapValue properties, string region)
    {
        var entries = new List<KeyValuePair<string, Value>> { new("title", title), new("region", region), new("view", "timeSeries"), new("stacked", false) };
        entries.AddRange(properties.Entries);
        return Map(("type", "metric"), ("x", x), ("y", y), ("width", width), ("height", 6), ("properties", new MapValue(entries)));
    }
}

/// <param name="Fleet">The fleet's endpoint, variant and bounds, where the stack has one (its widget shows size against demand).</param>
internal sealed record CostDashboardArgs(SpendThresholds Thresholds, string ApiName, string StageName, string FunctionName, DashboardFleet? Fleet = null);

/// <param name="LoadBalancer">On ECS: the load balancer's CloudWatch dimension (its <c>arnSuffix</c>), whose target group the widget reads instead of SageMaker's metrics.</param>
/// <param name="TargetGroup">On ECS: the target group's CloudWatch dimension.</param>
internal sealed record DashboardFleet(string EndpointName, string VariantName, int MinInstances, int MaxInstances, Value? LoadBalancer = null, Value? TargetGroup = null);
