using LlmCost.Infra.Naming;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.Fleet;

/// <summary>
/// Scale to zero for a fleet on ECS whose minimum is 0 (<c>llm-cost:fleet.baselineInstances: 0</c>). Target tracking
/// on requests per target cannot wake a fleet with no targets, and the load balancer reports no data points when
/// there are no requests, so two step policies do it: <b>wake</b> adds one task when the load balancer counts
/// requests and the target group has no healthy host (it only ever adds, so it cannot shrink a running fleet), and
/// <b>idle</b> sets the count to 0 after <see cref="IdleMinutes"/> without a request. While the fleet starts, the
/// router sends the fleet route's requests to its Bedrock fallback (the load balancer answers 503).
/// </summary>
internal sealed class ScaleToZero : Component
{
    /// <summary>Minutes without a request after which the fleet stops.</summary>
    public const int IdleMinutes = 60;

    /// <summary>Both alarms read the load balancer's one-minute RequestCount, so the same data point wakes the fleet and ends the idle alarm.</summary>
    public const int PeriodSeconds = 60;

    public const string WakeExpression = "IF(requests > 0 AND FILL(healthy, 0) < 1, 1, 0)";

    public ScaleToZero(Component parent, ScaleToZeroArgs args) : base(parent, "scale-to-zero")
    {
        var target = args.Target;
        var prefix = Context.NamePrefix;
        var loadBalancer = Map(("LoadBalancer", args.LoadBalancerDimension));
        var targets = Map(("LoadBalancer", args.LoadBalancerDimension), ("TargetGroup", args.TargetGroupDimension));

        // +1 while requests arrive and nothing is healthy. The cooldown is the start-up time: a scale-out inside it
        // counts the task already added, so a slow start is not answered with more tasks.
        var wake = Add("wake", "aws:appautoscaling/policy:Policy", Map(
            ("name", AwsNames.ScalingPolicyName.Join("-", prefix, "fleet-wake")),
            ("policyType", "StepScaling"),
            ("serviceNamespace", Ref(target.Name, "serviceNamespace")),
            ("resourceId", Ref(target.Name, "resourceId")),
            ("scalableDimension", Ref(target.Name, "scalableDimension")),
            ("stepScalingPolicyConfiguration", Map(
                ("adjustmentType", "ChangeInCapacity"),
                ("cooldown", args.StartupTimeoutSeconds),
                ("metricAggregationType", "Maximum"),
                ("stepAdjustments", List(Map(("metricIntervalLowerBound", "0"), ("scalingAdjustment", 1))))))));

        Add("wake-alarm", "aws:cloudwatch/metricAlarm:MetricAlarm", Map(
            ("name", AwsNames.AlarmName.Join("-", prefix, "fleet-wake")),
            ("alarmDescription", "Requests reach the fleet's load balancer and its target group has no healthy task: start one (the fleet scales to zero when idle; meanwhile its requests go to the Bedrock fallback)."),
            ("comparisonOperator", "GreaterThanThreshold"),
            ("threshold", 0),
            ("evaluationPeriods", 1),
            // No requests: nothing to wake for.
            ("treatMissingData", "notBreaching"),
            ("metricQueries", List(
                Map(("id", "requests"), ("returnData", false), ("metric", Map(
                    ("namespace", "AWS/ApplicationELB"), ("metricName", "RequestCount"), ("dimensions", loadBalancer), ("period", PeriodSeconds), ("stat", "Sum")))),
                Map(("id", "healthy"), ("returnData", false), ("metric", Map(
                    ("namespace", "AWS/ApplicationELB"), ("metricName", "HealthyHostCount"), ("dimensions", targets), ("period", PeriodSeconds), ("stat", "Maximum")))),
                Map(("id", "wake"), ("expression", WakeExpression), ("label", "requests with no healthy task"), ("returnData", true)))),
            ("alarmActions", List(Ref(wake.Name, "arn")))));

        var idle = Add("idle", "aws:appautoscaling/policy:Policy", Map(
            ("name", AwsNames.ScalingPolicyName.Join("-", prefix, "fleet-idle-to-zero")),
            ("policyType", "StepScaling"),
            ("serviceNamespace", Ref(target.Name, "serviceNamespace")),
            ("resourceId", Ref(target.Name, "resourceId")),
            ("scalableDimension", Ref(target.Name, "scalableDimension")),
            ("stepScalingPolicyConfiguration", Map(
                ("adjustmentType", "ExactCapacity"),
                ("cooldown", FleetScaling.ScaleInCooldownSeconds),
                ("metricAggregationType", "Sum"),
                ("stepAdjustments", List(Map(("metricIntervalUpperBound", "0"), ("scalingAdjustment", 0))))))));

        Add("idle-alarm", "aws:cloudwatch/metricAlarm:MetricAlarm", Map(
            ("name", AwsNames.AlarmName.Join("-", prefix, "fleet-idle-to-zero")),
            ("alarmDescription", $"No request reached the fleet's load balancer for {IdleMinutes} minutes: stop every task (the wake alarm starts one on the next request)."),
            ("namespace", "AWS/ApplicationELB"),
            ("metricName", "RequestCount"),
            ("dimensions", loadBalancer),
            ("statistic", "Sum"),
            ("period", PeriodSeconds),
            ("evaluationPeriods", IdleMinutes * 60 / PeriodSeconds),
            ("threshold", 1),
            ("comparisonOperator", "LessThanThreshold"),
            // The load balancer reports nothing when there are no requests: no data is idle.
            ("treatMissingData", "breaching"),
            ("alarmActions", List(Ref(idle.Name, "arn")))));
    }
}

/// <param name="Target">The fleet's scalable target (its minimum is 0).</param>
/// <param name="LoadBalancerDimension">The load balancer's <c>arnSuffix</c>, as CloudWatch names it.</param>
/// <param name="TargetGroupDimension">The target group's <c>arnSuffix</c>.</param>
/// <param name="StartupTimeoutSeconds">How long a task may take to pass its health check: the wake policy's cooldown.</param>
internal sealed record ScaleToZeroArgs(ReferenceValue Target, Value LoadBalancerDimension, Value TargetGroupDimension, int StartupTimeoutSeconds);
