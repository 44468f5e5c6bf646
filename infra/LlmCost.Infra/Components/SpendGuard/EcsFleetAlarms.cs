using System.Globalization;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.SpendGuard;

/// <summary>
/// The money alarms of <see cref="FleetAlarms"/> for a fleet on ECS, read from its load balancer's target group:
/// pinned at its maximum (healthy targets, one task per instance), idle (requests per target far below what scaling
/// aims at, while instances are billed by the hour), and failing (5xx from the serving tasks).
/// </summary>
internal sealed class EcsFleetAlarms : Component
{
    public EcsFleetAlarms(Component parent, EcsFleetAlarmsArgs args) : base(parent, "fleet-alarms")
    {
        var targets = Map(("LoadBalancer", args.LoadBalancerDimension), ("TargetGroup", args.TargetGroupDimension));
        var alerts = Context.Settings.Alerts;
        MapValue Metric(string name, int period) => Map(("namespace", "AWS/ApplicationELB"), ("metricName", name), ("dimensions", targets), ("period", period), ("stat", "Sum"));

        Alarm("at-max", $"The fleet ran at its maximum of {args.MaxInstances} healthy tasks, one per instance (llm-cost:fleet.maxInstances / the plan's burst), for three five-minute periods: demand beyond it goes to the Bedrock fallback at Bedrock prices.", Map(
            ("namespace", "AWS/ApplicationELB"), ("metricName", "HealthyHostCount"), ("dimensions", targets), ("statistic", "Minimum"),
            ("period", 300), ("evaluationPeriods", 3), ("threshold", args.MaxInstances), ("comparisonOperator", "GreaterThanOrEqualToThreshold")), "notBreaching");

        // Idle: under 1% of the requests per target scaling aims at, for three hours (no requests at all counts too).
        var idleBelow = FleetAlarms.IdleBelowPerHour(args.TargetRequestsPerInstancePerMinute);
        Alarm("idle", $"The fleet's tasks served fewer than {idleBelow.ToString(CultureInfo.InvariantCulture)} requests an hour each (1% of its scaling target) for three hours: instance-hours billed for almost nothing; lower llm-cost:fleet.baselineInstances or its schedules.", Map(
            ("namespace", "AWS/ApplicationELB"), ("metricName", "RequestCountPerTarget"), ("dimensions", targets), ("statistic", "Sum"),
            ("period", 3600), ("evaluationPeriods", 3), ("threshold", idleBelow), ("comparisonOperator", "LessThanThreshold")),
            // A fleet that scales to zero has no targets, so no data, when idle: nothing is billed then.
            args.ScalesToZero ? "notBreaching" : "breaching");

        Alarm("errors", $"More than {alerts.ErrorRatePercent}% of the fleet's requests failed with 5xx from its tasks (llm-cost:alerts.errorRatePercent) in 2 of 3 five-minute periods; the router falls back to Bedrock meanwhile.", Map(
            ("comparisonOperator", "GreaterThanThreshold"), ("evaluationPeriods", 3), ("datapointsToAlarm", 2), ("threshold", alerts.ErrorRatePercent),
            ("metricQueries", FleetAlarms.ErrorRate(Metric("HTTPCode_Target_5XX_Count", 300), Metric("RequestCount", 300), "failed requests, %"))), "notBreaching");

        void Alarm(string id, string description, MapValue definition, string missing) =>
            Add(id, "aws:cloudwatch/metricAlarm:MetricAlarm",
                SpendAlarms.Properties(AwsNames.AlarmName.Join("-", Context.NamePrefix, "fleet", id), description, args.Actions, missing, definition));
    }
}

/// <param name="LoadBalancerDimension">The load balancer's <c>arnSuffix</c>, as CloudWatch names it.</param>
/// <param name="TargetGroupDimension">The target group's <c>arnSuffix</c>.</param>
/// <param name="TargetRequestsPerInstancePerMinute">What the fleet's target tracking aims at.</param>
/// <param name="ScalesToZero">The fleet's minimum is 0 (<see cref="Fleet.ScaleToZero"/>): no data while idle is no instance billed, not an idle instance.</param>
internal sealed record EcsFleetAlarmsArgs(Value LoadBalancerDimension, Value TargetGroupDimension, int MaxInstances, decimal TargetRequestsPerInstancePerMinute, IReadOnlyList<Value> Actions, bool ScalesToZero = false);
