using LlmCost.Infra.Naming;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.Fleet;

/// <summary>
/// Scale to zero for a fleet on ECS whose minimum is 0 (<c>llm-cost:fleet.baselineInstances: 0</c>). Target tracking
/// on requests per target cannot wake a fleet with no targets, and the load balancer reports no data points when
/// there are no requests, so two step policies do it:
/// <list type="bullet">
/// <item><b>wake</b> adds one task when requests arrive and the target group has no healthy host. With no target the
/// load balancer answers 503 itself, and such requests are not in <c>RequestCount</c> (it counts only requests for
/// which a target was chosen), so the alarm adds <c>HTTPCode_ELB_503_Count</c>. It only ever adds, so it cannot
/// shrink a running fleet.</item>
/// <item><b>idle</b> sets the count to 0 after <see cref="IdleMinutes"/> in which a healthy task served no request. It
/// breaches only while a task is healthy: an alarm stays in ALARM while its condition holds and CloudWatch repeats
/// Auto Scaling actions while it does, so an alarm that also breached at zero (no data) would stop every task the
/// wake starts.</item>
/// </list>
/// While the fleet starts, the router sends the fleet route's requests to its Bedrock fallback.
/// </summary>
internal sealed class ScaleToZero : Component
{
    /// <summary>Minutes without a request after which the fleet stops.</summary>
    public const int IdleMinutes = 60;

    /// <summary>Both alarms read one-minute load balancer metrics.</summary>
    public const int PeriodSeconds = 60;

    public const string WakeExpression = "IF(FILL(requests, 0) + FILL(rejected, 0) > 0 AND FILL(healthy, 0) < 1, 1, 0)";

    public const string IdleExpression = "IF(FILL(healthy, 0) >= 1 AND FILL(requests, 0) < 1, 1, 0)";

    public ScaleToZero(Component parent, ScaleToZeroArgs args) : base(parent, "scale-to-zero")
    {
        var target = args.Target;
        var prefix = Context.NamePrefix;
        var loadBalancer = Map(("LoadBalancer", args.LoadBalancerDimension));
        var targets = Map(("LoadBalancer", args.LoadBalancerDimension), ("TargetGroup", args.TargetGroupDimension));
        MapValue Metric(string id, string name, MapValue dimensions, string stat) => Map(("id", id), ("returnData", false), ("metric", Map(
            ("namespace", "AWS/ApplicationELB"), ("metricName", name), ("dimensions", dimensions), ("period", PeriodSeconds), ("stat", stat))));

        // +1 while requests arrive and nothing is healthy. The cooldown is the start-up time: a scale-out inside it
        // counts the task already added, so a slow start is not answered with more tasks.
        var wake = Add("wake", "aws:appautoscaling/policy:Policy", FleetScaling.StepPolicy(target, AwsNames.ScalingPolicyName.Join("-", prefix, "fleet-wake"),
            "ChangeInCapacity", args.StartupTimeoutSeconds, "Maximum", Map(("metricIntervalLowerBound", "0"), ("scalingAdjustment", 1))));

        Add("wake-alarm", "aws:cloudwatch/metricAlarm:MetricAlarm", Map(
            ("name", AwsNames.AlarmName.Join("-", prefix, "fleet-wake")),
            ("alarmDescription", "Requests reach the fleet's load balancer and its target group has no healthy task: start one (the fleet scales to zero when idle; meanwhile its requests go to the Bedrock fallback)."),
            ("comparisonOperator", "GreaterThanThreshold"),
            ("threshold", 0),
            ("evaluationPeriods", 1),
            // No requests: nothing to wake for.
            ("treatMissingData", "notBreaching"),
            ("metricQueries", List(
                Metric("requests", "RequestCount", loadBalancer, "Sum"),
                Metric("rejected", "HTTPCode_ELB_503_Count", loadBalancer, "Sum"),
                Metric("healthy", "HealthyHostCount", targets, "Maximum"),
                Map(("id", "wake"), ("expression", WakeExpression), ("label", "requests with no healthy task"), ("returnData", true)))),
            ("alarmActions", List(Ref(wake.Name, "arn")))));

        var idle = Add("idle", "aws:appautoscaling/policy:Policy", FleetScaling.StepPolicy(target, AwsNames.ScalingPolicyName.Join("-", prefix, "fleet-idle-to-zero"),
            "ExactCapacity", FleetScaling.ScaleInCooldownSeconds, "Maximum", Map(("metricIntervalLowerBound", "0"), ("scalingAdjustment", 0))));

        Add("idle-alarm", "aws:cloudwatch/metricAlarm:MetricAlarm", Map(
            ("name", AwsNames.AlarmName.Join("-", prefix, "fleet-idle-to-zero")),
            ("alarmDescription", $"A healthy task served no request for {IdleMinutes} minutes: stop every task (the wake alarm starts one on the next request)."),
            ("comparisonOperator", "GreaterThanThreshold"),
            ("threshold", 0),
            ("evaluationPeriods", IdleMinutes * 60 / PeriodSeconds),
            ("datapointsToAlarm", IdleMinutes * 60 / PeriodSeconds),
            // No data: no task is registered, so nothing is idle (and nothing to stop).
            ("treatMissingData", "notBreaching"),
            ("metricQueries", List(
                Metric("requests", "RequestCount", loadBalancer, "Sum"),
                Metric("healthy", "HealthyHostCount", targets, "Maximum"),
                Map(("id", "idle"), ("expression", IdleExpression), ("label", "a healthy task and no request"), ("returnData", true)))),
            ("alarmActions", List(Ref(idle.Name, "arn")))));
    }
}

/// <param name="Target">The fleet's scalable target (its minimum is 0).</param>
/// <param name="LoadBalancerDimension">The load balancer's <c>arnSuffix</c>, as CloudWatch names it.</param>
/// <param name="TargetGroupDimension">The target group's <c>arnSuffix</c>.</param>
/// <param name="StartupTimeoutSeconds">How long a task may take to pass its health check: the wake policy's cooldown.</param>
internal sealed record ScaleToZeroArgs(ReferenceValue Target, Value LoadBalancerDimension, Value TargetGroupDimension, int StartupTimeoutSeconds);
