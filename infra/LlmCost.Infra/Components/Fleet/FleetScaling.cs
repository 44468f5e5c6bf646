using LlmCost.Infra.Naming;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.Fleet;

/// <summary>
/// Scaling of the fleet (a SageMaker variant's instances, or an ECS service's tasks) between the plan's baseline
/// (what a Savings Plan would cover) and its burst: target tracking on requests per instance, which also scales in
/// when traffic drops, so a quiet stack returns to its minimum; step scaling on latency for bursts that requests
/// alone do not show (long answers); scheduled bounds where the stack configures them. What differs per platform
/// (namespace, dimension, resource ID, metrics) is the <see cref="ScalableFleet"/>.
/// </summary>
internal sealed class FleetScaling : Component
{
    public const string ScalableDimension = "sagemaker:variant:DesiredInstanceCount";

    /// <summary>Scale out fast (a slow fleet sends traffic to Bedrock at Bedrock prices); scale in slowly (instances take minutes to start).</summary>
    public const int ScaleOutCooldownSeconds = 300;

    public const int ScaleInCooldownSeconds = 900;

    public FleetScaling(Component parent, FleetScalingArgs args) : base(parent, "scaling")
    {
        var fleet = args.Fleet;
        var target = Add("target", "aws:appautoscaling/target:Target", Map(
            ("serviceNamespace", fleet.ServiceNamespace),
            ("resourceId", fleet.ResourceId),
            ("scalableDimension", fleet.ScalableDimension),
            ("minCapacity", args.MinInstances),
            ("maxCapacity", args.MaxInstances)));

        var prefix = Context.NamePrefix;
        Add("invocations", "aws:appautoscaling/policy:Policy", Map(
            ("name", AwsNames.ScalingPolicyName.Join("-", prefix, fleet.TrackingPolicyName)),
            ("policyType", "TargetTrackingScaling"),
            ("serviceNamespace", Ref(target.Name, "serviceNamespace")),
            ("resourceId", Ref(target.Name, "resourceId")),
            ("scalableDimension", Ref(target.Name, "scalableDimension")),
            ("targetTrackingScalingPolicyConfiguration", Map(
                ("targetValue", args.InvocationsPerInstancePerMinute),
                ("predefinedMetricSpecification", fleet.TrackingMetric),
                ("disableScaleIn", false),
                ("scaleInCooldown", ScaleInCooldownSeconds),
                ("scaleOutCooldown", ScaleOutCooldownSeconds)))));

        // Up to half again over the latency threshold adds one instance; beyond that, two. Bounds are offsets
        // from the alarm's threshold, in the alarm's unit (ModelLatency is in microseconds, TargetResponseTime in seconds).
        var threshold = fleet.Latency.FromMilliseconds(args.ScaleOutLatencyMs);
        var latency = Add("latency", "aws:appautoscaling/policy:Policy", StepPolicy(target, AwsNames.ScalingPolicyName.Join("-", prefix, "fleet-latency-step"),
            "ChangeInCapacity", ScaleOutCooldownSeconds, "Average",
            Map(("metricIntervalLowerBound", "0"), ("metricIntervalUpperBound", Text(threshold / 2)), ("scalingAdjustment", 1)),
            Map(("metricIntervalLowerBound", Text(threshold / 2)), ("scalingAdjustment", 2))));

        Add("latency-alarm", "aws:cloudwatch/metricAlarm:MetricAlarm", Map(
            ("name", AwsNames.AlarmName.Join("-", prefix, "fleet-latency-scale-out")),
            ("alarmDescription", $"The fleet's average model latency is above {args.ScaleOutLatencyMs} ms: add instances before the router's timeout sends its traffic to Bedrock."),
            ("namespace", fleet.Latency.Namespace),
            ("metricName", fleet.Latency.MetricName),
            ("dimensions", fleet.Latency.Dimensions),
            ("statistic", "Average"),
            ("period", 60),
            ("evaluationPeriods", 2),
            ("threshold", threshold),
            ("comparisonOperator", "GreaterThanThreshold"),
            // No invocations is no latency problem.
            ("treatMissingData", "notBreaching"),
            ("alarmActions", List(Ref(latency.Name, "arn")))));

        foreach (var schedule in args.Schedules)
        {
            Add($"schedule-{schedule.Name}", "aws:appautoscaling/scheduledAction:ScheduledAction", Map(
                ("name", AwsNames.ScheduledActionName.Join("-", prefix, "fleet", schedule.Name)),
                ("serviceNamespace", Ref(target.Name, "serviceNamespace")),
                ("resourceId", Ref(target.Name, "resourceId")),
                ("scalableDimension", Ref(target.Name, "scalableDimension")),
                ("schedule", schedule.Schedule),
                ("timezone", schedule.Timezone),
                ("scalableTargetAction", Map(("minCapacity", schedule.MinInstances), ("maxCapacity", schedule.MaxInstances)))));
        }

        Outputs = new FleetScalingOutputs(target, args.MinInstances, args.MaxInstances);
    }

    public FleetScalingOutputs Outputs { get; }

    /// <summary>A step-scaling policy on <paramref name="target"/>, acting on its alarm's breach by <paramref name="steps"/> (bounds are offsets from the alarm's threshold).</summary>
    public static MapValue StepPolicy(ReferenceValue target, string name, string adjustmentType, int cooldownSeconds, string metricAggregation, params Value[] steps) => Map(
        ("name", name),
        ("policyType", "StepScaling"),
        ("serviceNamespace", Ref(target.Name, "serviceNamespace")),
        ("resourceId", Ref(target.Name, "resourceId")),
        ("scalableDimension", Ref(target.Name, "scalableDimension")),
        ("stepScalingPolicyConfiguration", Map(
            ("adjustmentType", adjustmentType),
            ("cooldown", cooldownSeconds),
            ("metricAggregationType", metricAggregation),
            ("stepAdjustments", List(steps)))));

    private static string Text(decimal value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What scales on one platform, and the metrics it scales by.</summary>
/// <param name="ResourceId">The scalable target's resource ID; built from the scaled resource's outputs, so the target waits for it.</param>
/// <param name="TrackingPolicyName">The target-tracking policy's name after the stack prefix.</param>
/// <param name="TrackingMetric">The predefined metric target tracking holds at the target value: requests per instance per minute.</param>
internal sealed record ScalableFleet(
    string ServiceNamespace,
    Value ResourceId,
    string ScalableDimension,
    string TrackingPolicyName,
    MapValue TrackingMetric,
    LatencySignal Latency);

/// <summary>The latency step scaling watches: an average, in the metric's own unit.</summary>
/// <param name="FromMilliseconds">Milliseconds in the metric's unit.</param>
internal sealed record LatencySignal(string Namespace, string MetricName, MapValue Dimensions, Func<int, decimal> FromMilliseconds);

/// <param name="Fleet">What scales, and its metrics.</param>
/// <param name="InvocationsPerInstancePerMinute">The target-tracking value (<see cref="InvocationTarget"/>).</param>
internal sealed record FleetScalingArgs(
    ScalableFleet Fleet,
    int MinInstances,
    int MaxInstances,
    int InvocationsPerInstancePerMinute,
    int ScaleOutLatencyMs,
    IReadOnlyList<FleetSchedule> Schedules);

internal sealed record FleetScalingOutputs(ReferenceValue Target, int MinInstances, int MaxInstances);
