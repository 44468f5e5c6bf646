using LlmCost.Infra.Components.Fleet;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Tests.Components;

/// <summary>The fleet's scaling: bounds from the plan, target tracking, latency steps, schedules.</summary>
public sealed class FleetScalingTests
{
    private static readonly ProgramQuery Prod = ProgramQuery.Of(Repo.Synthesize("prod").Program);

    /// <summary>dev with a small fleet route: 20% of dev's requests (0.05 rps baseline, 0.5 peak; 800 + 250 tokens each) on the fleet.</summary>
    private static StackSettings DevWithFleet() => StackSettingsReader.Read(Repo.ConfigWith("dev",
        ("llm-cost:fleet", """
            {"platform":"sagemaker","instanceType":"ml.inf2.xlarge","modelName":"llama-3.1-8b-instruct","tokensPerSecondPerInstance":2000,
             "maxInstances":3,"modelDataUrl":"s3://example-models/llama-3.1-8b/neuron/"}
            """),
        ("llm-cost:routes", """
            [{"name":"small","model":"amazon.nova-micro-v1:0","maxInputTokens":8000,"maxOutputTokens":512},
             {"name":"medium","model":"amazon.nova-lite-v1:0","maxInputTokens":16000,"maxOutputTokens":1024,"fallback":"small"},
             {"name":"local","backend":"fleet","model":"llama-3.1-8b-instruct","maxInputTokens":4000,"maxOutputTokens":512,"fallback":"small"}]
            """),
        ("llm-cost:demand", """
            {"baselineRequestsPerSecond":0.05,"peakRequestsPerSecond":0.5,"peakStartHour":9,"peakEndHour":18,"inputTokensPerRequest":800,
             "outputTokensPerRequest":250,"routeShares":{"small":0.6,"medium":0.2,"local":0.2},"uncertainty":0.5}
            """)));

    [Fact]
    public void Prod_Target_IsBetweenThePlansBaselineAndBurst()
    {
        // prod: baselineInstances 2 and maxInstances 10 win over the sized 2 to 6.
        var costs = Repo.Costs(Repo.Settings("prod"));
        costs.Fleet!.MinInstances.Should().Be(2);
        costs.Fleet.MaxInstances.Should().Be(10);

        Prod.Properties("fleet-scaling-target").ToJsonString().Should().Be(
            """{"serviceNamespace":"sagemaker","resourceId":"endpoint/${fleet-endpoint.name}/variant/primary","scalableDimension":"sagemaker:variant:DesiredInstanceCount","minCapacity":2,"maxCapacity":10}""");
        Prod.Output("fleetScaling")!["minInstances"]!.GetValue<int>().Should().Be(2);
        Prod.Output("fleetScaling")!["maxInstances"]!.GetValue<int>().Should().Be(10);
    }

    [Fact]
    public void Prod_HasTargetTrackingOnInvocationsAndStepScalingOnLatency()
    {
        Prod.Count("aws:appautoscaling/policy:Policy").Should().Be(2);

        // 2000 tokens/s x 0.7 x 60 s / (700 + 250) tokens a request = 88.42 -> 88 invocations per instance per minute.
        var tracking = Prod.Properties("fleet-scaling-invocations");
        tracking["policyType"]!.GetValue<string>().Should().Be("TargetTrackingScaling");
        tracking["resourceId"]!.GetValue<string>().Should().Be("${fleet-scaling-target.resourceId}");
        tracking["targetTrackingScalingPolicyConfiguration"]!.ToJsonString().Should().Be(
            """{"targetValue":88,"predefinedMetricSpecification":{"predefinedMetricType":"SageMakerVariantInvocationsPerInstance"},"disableScaleIn":false,"scaleInCooldown":900,"scaleOutCooldown":300}""");

        // 15,000 ms default = 15,000,000 microseconds (ModelLatency's unit); +1 instance up to half again over it, +2 beyond.
        Prod.Properties("fleet-scaling-latency")["stepScalingPolicyConfiguration"]!.ToJsonString().Should().Be(
            """{"adjustmentType":"ChangeInCapacity","cooldown":300,"metricAggregationType":"Average","stepAdjustments":[{"metricIntervalLowerBound":"0","metricIntervalUpperBound":"7500000","scalingAdjustment":1},{"metricIntervalLowerBound":"7500000","scalingAdjustment":2}]}""");
        var alarm = Prod.Properties("fleet-scaling-latency-alarm");
        alarm["metricName"]!.GetValue<string>().Should().Be("ModelLatency");
        alarm["namespace"]!.GetValue<string>().Should().Be("AWS/SageMaker");
        alarm["dimensions"]!.ToJsonString().Should().Be("""{"EndpointName":"llm-cost-prod-fleet","VariantName":"primary"}""");
        alarm["threshold"]!.GetValue<long>().Should().Be(15_000_000);
        alarm["alarmActions"]!.ToJsonString().Should().Be("""["${fleet-scaling-latency.arn}"]""");
    }

    [Fact]
    public void Prod_SchedulesTheBusinessHoursBaselineItConfigures()
    {
        Prod.Properties("fleet-scaling-schedule-weekday-open").ToJsonString().Should().Be(
            """{"name":"llm-cost-prod-fleet-weekday-open","serviceNamespace":"${fleet-scaling-target.serviceNamespace}","resourceId":"${fleet-scaling-target.resourceId}","scalableDimension":"${fleet-scaling-target.scalableDimension}","schedule":"cron(0 8 ? * MON-FRI *)","timezone":"UTC","scalableTargetAction":{"minCapacity":3,"maxCapacity":10}}""");
        Prod.Properties("fleet-scaling-schedule-weekday-close")["scalableTargetAction"]!.ToJsonString().Should().Be("""{"minCapacity":2,"maxCapacity":10}""");
    }

    [Fact]
    public void Dev_ScalesInToItsMinimum_WhenIdle()
    {
        // dev's fleet demand: 0.05 rps x 1050 tokens x 0.2 = 10.5 tokens/s quiet, 105 at peak: one instance sized either way;
        // maxInstances 3 from config. Scale-in stays enabled, so idle hours return to that one instance.
        var query = ProgramQuery.Of(Repo.Synthesize(DevWithFleet()).Program);

        query.Properties("fleet-scaling-target")["minCapacity"]!.GetValue<int>().Should().Be(1);
        query.Properties("fleet-scaling-target")["maxCapacity"]!.GetValue<int>().Should().Be(3);
        query.Properties("fleet-endpoint-config")["productionVariants"]![0]!["initialInstanceCount"]!.GetValue<int>().Should().Be(1);
        var tracking = query.Properties("fleet-scaling-invocations")["targetTrackingScalingPolicyConfiguration"]!;
        tracking["disableScaleIn"]!.GetValue<bool>().Should().BeFalse();
        // 2000 x 0.7 (default target) x 60 / (800 + 250) = 80 exactly.
        tracking["targetValue"]!.GetValue<int>().Should().Be(80);
        query.Count("aws:appautoscaling/scheduledAction:ScheduledAction").Should().Be(0);
        query.Properties("fleet-endpoint")["name"]!.GetValue<string>().Should().Be("llm-cost-dev-fleet");
    }

    [Theory]
    [InlineData(2000, 0.7, 950, 88)]
    [InlineData(2000, 0.7, 1050, 80)]
    [InlineData(500, 0.5, 300, 50)]
    [InlineData(10, 0.1, 100_000, 1)]
    public void InvocationTarget_IsTokensPerMinuteAtTheTargetOverTokensPerRequest_RoundedDown(int tokensPerSecond, double utilisation, int tokensPerRequest, int expected)
    {
        InvocationTarget.PerInstancePerMinute(tokensPerSecond, (decimal)utilisation, tokensPerRequest).Should().Be(expected);
    }

    [Fact]
    public void AScheduleWhoseMaximumIsBelowItsMinimum_StopsNamingTheKey()
    {
        var act = () => StackSettingsReader.Read(Repo.ConfigWith("prod", ("llm-cost:fleet", """
            {"platform":"sagemaker","instanceType":"ml.inf2.xlarge","modelName":"llama-3.1-8b-instruct","tokensPerSecondPerInstance":2000,
             "huggingFaceModelId":"meta-llama/Llama-3.1-8B-Instruct","schedules":[{"name":"open","schedule":"cron(0 8 * * ? *)","minInstances":4,"maxInstances":2}]}
            """)));

        act.Should().Throw<ConfigError>().Which.Message.Should().Be("stacks/Pulumi.prod.yaml: llm-cost:fleet.schedules[0].maxInstances: must be at least minInstances (4), got 2");
    }
}
