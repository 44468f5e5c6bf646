using LlmCost.Infra.Naming;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.Fleet;

/// <summary>
/// Scaling of the fleet's variant between the plan's baseline (what a Savings Plan would cover) and its burst:
/// target tracking on invocations per instance, which also scales in when traffic drops, so a quiet stack returns
/// to its minimum; step scaling on model latency for bursts that invocations alone do not show (long answers);
/// scheduled bounds where the stack configures them.
/// </summary>
internal sealed class FleetScaling : Component
{
    public const string ScalableDimension = "sagemaker:variant:DesiredInstanceCount";

    /// <summary>Scale out fast (a slow fleet sends traffic to Bedrock at Bedrock prices); scale in slowly (instances take minutes to start).</summary>
    public const int ScaleOutCooldownSeconds = 300;

    public const int ScaleInCooldownSeconds = 900;

    public FleetScaling(Component parent, FleetScalingArgs args) : base(parent, "scaling")
    {
        var target = Add("target", "aws:appautoscaling/target:Target", Map(
            ("serviceNamespace", "sagemaker"),
            ("resourceId", Interpolate("endpoint/", Ref(args.Endpoint.Name, "name"), $"/variant/{SageMakerFleet.VariantName}")),
            ("scalableDimension", ScalableDimension),
            ("minCapacity", args.MinInstances),
            ("maxCapacity", args.MaxInstances)));

        var prefix = Context.NamePrefix;
        Add("invocations", "aws:appautoscaling/policy:Policy", Map(
            ("name", AwsNames.ScalingPolicyName.Join("-", prefix, "fleet-invocations-per-instance")),
            ("policyType", "TargetTrackingScaling"),
            ("serviceNamespace", Ref(target.Name, "serviceNamespace")),
            ("resourceId", Ref(target.Name, "resourceId")),
            ("scalableDimension", Ref(target.Name, "scalableDimension")),
            ("targetTrackingScalingPolicyConfiguration", Map(
                ("targetValue", args.InvocationsPerInstancePerMinute),
                ("predefinedMetricSpecification", Map(("predefinedMetricType", "SageMakerVariantInvocationsPerInstance"))),
                ("disableScaleIn", false),
                ("scaleInCooldown", ScaleInCooldownSeconds),
                ("scaleOutCooldown", ScaleOutCooldownSeconds)))));

        // Up to half again over the latency threshold adds one instance; beyond that, two. Bounds are offsets
        // from the alarm's threshold, in the alarm's unit (ModelLatency is in microseconds).
        var thresholdMicros = args.ScaleOutLatencyMs * 1000L;
        var latency = Add("latency", "aws:appautoscaling/policy:Policy", Map(
            ("name", AwsNames.ScalingPolicyName.Join("-", prefix, "fleet-latency-step")),
            ("policyType", "StepScaling"),
            ("serviceNamespace", Ref(target.Name, "serviceNamespace")),
            ("resourceId", Ref(target.Name, "resourceId")),
            ("scalableDimension", Ref(target.Name, "scalableDimension")),
            ("stepScalingPolicyConfiguration", Map(
                ("adjustmentType", "ChangeInCapacity"),
                ("cooldown", ScaleOutCooldownSeconds),
                ("metricAggregationType", "Average"),
                ("stepAdjustments", List(
                    Map(("metricIntervalLowerBound", "0"), ("metricIntervalUpperBound", Text(thresholdMicros / 2)), ("scalingAdjustment", 1)),
                    Map(("metricIntervalLowerBound", Text(thresholdMicros / 2)), ("scalingAdjustment", 2))))))));

        Add("latency-alarm", "aws:cloudwatch/metricAlarm:MetricAlarm", Map(
            ("name", AwsNames.AlarmName.Join("-", prefix, "fleet-latency-scale-out")),
            ("alarmDescription", $"The fleet's average model latency is above {args.ScaleOutLatencyMs} ms: add instances before the router's timeout sends its traffic to Bedrock."),
            ("namespace", "AWS/SageMaker"),
            ("metricName", "ModelLatency"),
            ("dimensions", Map(("EndpointName", args.EndpointName), ("VariantName", SageMakerFleet.VariantName))),
            ("statistic", "Average"),
            ("period", 60),
            ("evaluationPeriods", 2),
            ("threshold", thresholdMicros),
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

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <param name="Endpoint">The endpoint whose variant scales (its name makes the target's resource ID, so the target waits for it).</param>
/// <param name="InvocationsPerInstancePerMinute">The target-tracking value (<see cref="InvocationTarget"/>).</param>
internal sealed record FleetScalingArgs(
    ReferenceValue Endpoint,
    string EndpointName,
    int MinInstances,
    int MaxInstances,
    int InvocationsPerInstancePerMinute,
    int ScaleOutLatencyMs,
    IReadOnlyList<FleetSchedule> Schedules);

internal sealed record FleetScalingOutputs(ReferenceValue Target, int MinInstances, int MaxInstances);
