using System.Globalization;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.SpendGuard;

/// <summary>
/// The fleet's money alarms: pinned at its maximum (demand beyond what it may serve spills to Bedrock), idle
/// (instances billed by the hour while almost nothing is invoked), and failing (5xx from the endpoint). SageMaker
/// publishes no instance count for a real-time endpoint, so the count is invocations over invocations per instance.
/// </summary>
internal sealed class FleetAlarms : Component
{
    public FleetAlarms(Component parent, FleetAlarmsArgs args) : base(parent, "fleet-alarms")
    {
        var variant = Map(("EndpointName", args.EndpointName), ("VariantName", args.VariantName));
        var alerts = Context.Settings.Alerts;
        MapValue Metric(string name, int period) => Map(("namespace", "AWS/SageMaker"), ("metricName", name), ("dimensions", variant), ("period", period), ("stat", "Sum"));

        Alarm("at-max", $"The fleet ran at its maximum of {args.MaxInstances} instances (llm-cost:fleet.maxInstances / the plan's burst) for three five-minute periods: demand beyond it goes to the Bedrock fallback at Bedrock prices.", Map(
            ("comparisonOperator", "GreaterThanOrEqualToThreshold"), ("evaluationPeriods", 3), ("threshold", args.MaxInstances),
            ("metricQueries", List(
                Map(("id", "invocations"), ("returnData", false), ("metric", Metric("Invocations", 300))),
                Map(("id", "perInstance"), ("returnData", false), ("metric", Metric("InvocationsPerInstance", 300))),
                Map(("id", "instances"), ("expression", "invocations / perInstance"), ("label", "instances serving"), ("returnData", true))))), "notBreaching");

        // Idle: under 1% of the invocations per instance scaling aims at, for three hours (no invocations at all counts too).
        var idleBelow = IdleBelowPerHour(args.TargetInvocationsPerInstancePerMinute);
        Alarm("idle", $"The fleet's instances served fewer than {idleBelow.ToString(CultureInfo.InvariantCulture)} invocations an hour each (1% of its scaling target) for three hours: instance-hours billed for almost nothing; lower llm-cost:fleet.baselineInstances or its schedules.", Map(
            ("namespace", "AWS/SageMaker"), ("metricName", "InvocationsPerInstance"), ("dimensions", variant), ("statistic", "Sum"),
            ("period", 3600), ("evaluationPeriods", 3), ("threshold", idleBelow), ("comparisonOperator", "LessThanThreshold")), "breaching");

        Alarm("errors", $"More than {alerts.ErrorRatePercent}% of the fleet endpoint's invocations failed with 5xx (llm-cost:alerts.errorRatePercent) in 2 of 3 five-minute periods; the router falls back to Bedrock meanwhile.", Map(
            ("comparisonOperator", "GreaterThanThreshold"), ("evaluationPeriods", 3), ("datapointsToAlarm", 2), ("threshold", alerts.ErrorRatePercent),
            ("metricQueries", ErrorRate(Metric("Invocation5XXErrors", 300), Metric("Invocations", 300), "failed invocations, %"))), "notBreaching");

        void Alarm(string id, string description, MapValue definition, string missing) =>
            Add(id, "aws:cloudwatch/metricAlarm:MetricAlarm",
                SpendAlarms.Properties(AwsNames.AlarmName.Join("-", Context.NamePrefix, "fleet", id), description, args.Actions, missing, definition));
    }

    /// <summary>A fleet is idle below 1% of the requests per instance its scaling aims at, an hour (at least 1).</summary>
    public static int IdleBelowPerHour(decimal targetPerInstancePerMinute) => Math.Max(1, (int)Math.Floor(targetPerInstancePerMinute * 60 * 0.01m));

    /// <summary>The failed share of requests, in percent, from a failure count and a request count (no failures reported is none).</summary>
    public static ListValue ErrorRate(MapValue failed, MapValue all, string label) => List(
        Map(("id", "failed"), ("returnData", false), ("metric", failed)),
        Map(("id", "all"), ("returnData", false), ("metric", all)),
        Map(("id", "rate"), ("expression", "100 * FILL(failed, 0) / all"), ("label", label), ("returnData", true)));
}

/// <param name="TargetInvocationsPerInstancePerMinute">What the fleet's target tracking aims at.</param>
internal sealed record FleetAlarmsArgs(string EndpointName, string VariantName, int MaxInstances, decimal TargetInvocationsPerInstancePerMinute, IReadOnlyList<Value> Actions);
