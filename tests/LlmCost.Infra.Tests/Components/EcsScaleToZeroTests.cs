using System.Text.Json.Nodes;
using LlmCost.Infra.Cli;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Tests.Components;

/// <summary>
/// prod with its fleet on ECS at <c>baselineInstances: 0</c>: settings, sizing, the wake and idle policies, and the
/// cold-start cost in the plan; at baseline 2 (as prod is) none of it.
/// </summary>
public sealed class EcsScaleToZeroTests
{
    /// <summary>prod's fleet on ECS (as in EcsFleetTests) at baseline 0, with no schedules and a 1800 s start-up timeout.</summary>
    private const string ZeroFleet = """
        {"platform":"ecs","instanceType":"inf2.xlarge","modelName":"llama-3.1-8b-instruct","tokensPerSecondPerInstance":2000,"targetUtilisation":0.7,
         "baselineInstances":0,"maxInstances":10,"huggingFaceModelId":"meta-llama/Llama-3.1-8B-Instruct","startupTimeoutSeconds":1800,
         "vpcId":"vpc-0a1b2c3d4e5f60718","subnetIds":["subnet-0aaa1111bbbb2222c","subnet-0ddd3333eeee4444f"],"bedrockEndpoint":"create"}
        """;

    /// <summary>prod's demand (stacks/Pulumi.prod.yaml) with no requests outside the weekday peak (baseline 0 rps).</summary>
    private const string WeekdayDemand = """
        {"baselineRequestsPerSecond":0,"peakRequestsPerSecond":12,"peakStartHour":8,"peakEndHour":20,"peakWeekdaysOnly":true,
         "inputTokensPerRequest":700,"outputTokensPerRequest":250,"routeShares":{"small":0.7,"medium":0.25,"large":0.05},"uncertainty":0.25,"meanLatencySeconds":2.5}
        """;

    private static StackSettings Zero(string fleet = ZeroFleet, string demand = WeekdayDemand) =>
        StackSettingsReader.Read(Repo.ConfigWith("prod", ("llm-cost:fleet", fleet), ("llm-cost:demand", demand)));

    private static readonly ProgramQuery AtZero = ProgramQuery.Of(Repo.Synthesize(Zero()).Program);

    private static readonly ProgramQuery AtTwo = ProgramQuery.Of(Repo.Synthesize(EcsFleetTests.ProdOnEcs()).Program);

    [Fact]
    public void BaselineZero_IsRefusedOnSageMaker_NamingTheKey()
    {
        // prod's fleet as in stacks/Pulumi.prod.yaml, at baseline 0.
        const string sageMaker = """
            {"platform":"sagemaker","instanceType":"ml.inf2.xlarge","modelName":"llama-3.1-8b-instruct","tokensPerSecondPerInstance":2000,"targetUtilisation":0.7,
             "baselineInstances":0,"maxInstances":10,"huggingFaceModelId":"meta-llama/Llama-3.1-8B-Instruct"}
            """;

        var act = () => StackSettingsReader.Read(Repo.ConfigWith("prod", ("llm-cost:fleet", sageMaker)));

        act.Should().Throw<ConfigError>().Which.Message.Should().Be(
            "stacks/Pulumi.prod.yaml: llm-cost:fleet.baselineInstances: must be at least 1 on platform sagemaker: a SageMaker real-time endpoint keeps at least one instance; only platform ecs scales to zero when idle, got 0");
    }

    [Fact]
    public void BaselineZero_IsAllowedOnEcs_AndBelowZeroIsNot()
    {
        Zero().Fleet!.BaselineInstances.Should().Be(0);

        var act = () => Zero(ZeroFleet.Replace("\"baselineInstances\":0", "\"baselineInstances\":-1", StringComparison.Ordinal));

        act.Should().Throw<ConfigError>().Which.Message.Should().StartWith("stacks/Pulumi.prod.yaml: llm-cost:fleet.baselineInstances: ");
    }

    [Fact]
    public void Sizing_KeepsTheConfiguredZero_AndAnInstanceWhereverThereIsDemand()
    {
        var fleet = Repo.Costs(Zero()).Fleet!;

        fleet.MinInstances.Should().Be(0);
        fleet.MaxInstances.Should().Be(10);
        // Monday 00:00 and 07:00: no demand, no instance. Monday 08:00: 12 rps x 0.7 x 950 tokens = 7,980 tokens/s
        // over 2,000 x 0.7 = 1,400 per instance = 5.7 -> 6. Saturday 12:00 (hour 5 x 24 + 12 = 132): none.
        fleet.InstancesByHour[0].Should().Be(0);
        fleet.InstancesByHour[7].Should().Be(0);
        fleet.InstancesByHour[8].Should().Be(6);
        fleet.InstancesByHour[132].Should().Be(0);
    }

    [Fact]
    public void TheServiceAndItsInstances_StartAtZero_AndScalingMayReachZero()
    {
        AtZero.Properties("fleet-capacity-instances")["minSize"]!.GetValue<int>().Should().Be(0);
        AtZero.Properties("fleet-capacity-instances")["maxSize"]!.GetValue<int>().Should().Be(10);
        AtZero.Properties("fleet-service")["desiredCount"]!.GetValue<int>().Should().Be(0);
        AtZero.Properties("fleet-scaling-target")["minCapacity"]!.GetValue<int>().Should().Be(0);
        AtZero.Properties("fleet-scaling-target")["maxCapacity"]!.GetValue<int>().Should().Be(10);
        // Managed scaling may step from 0 to 10 at once: 10 - 0.
        AtZero.Properties("fleet-capacity-provider")["autoScalingGroupProvider"]!["managedScaling"]!["maximumScalingStepSize"]!.GetValue<int>().Should().Be(10);
    }

    [Fact]
    public void Wake_AddsOneTask_WhenRequestsArriveAndNoTargetIsHealthy()
    {
        AtZero.Properties("fleet-scale-to-zero-wake").ToJsonString().Should().Be(
            """{"name":"llm-cost-prod-fleet-wake","policyType":"StepScaling","serviceNamespace":"${fleet-scaling-target.serviceNamespace}","resourceId":"${fleet-scaling-target.resourceId}","scalableDimension":"${fleet-scaling-target.scalableDimension}","stepScalingPolicyConfiguration":{"adjustmentType":"ChangeInCapacity","cooldown":1800,"metricAggregationType":"Maximum","stepAdjustments":[{"metricIntervalLowerBound":"0","scalingAdjustment":1}]}}""");

        var alarm = AtZero.Properties("fleet-scale-to-zero-wake-alarm");
        alarm["name"]!.GetValue<string>().Should().Be("llm-cost-prod-fleet-wake");
        alarm["comparisonOperator"]!.GetValue<string>().Should().Be("GreaterThanThreshold");
        alarm["threshold"]!.GetValue<int>().Should().Be(0);
        alarm["evaluationPeriods"]!.GetValue<int>().Should().Be(1);
        alarm["treatMissingData"]!.GetValue<string>().Should().Be("notBreaching");
        alarm["alarmActions"]!.ToJsonString().Should().Be("""["${fleet-scale-to-zero-wake.arn}"]""");
        alarm["metricQueries"]!.ToJsonString().Should().Be(
            """[{"id":"requests","returnData":false,"metric":{"namespace":"AWS/ApplicationELB","metricName":"RequestCount","dimensions":{"LoadBalancer":"${fleet-lb-alb.arnSuffix}"},"period":60,"stat":"Sum"}},"""
            + """{"id":"rejected","returnData":false,"metric":{"namespace":"AWS/ApplicationELB","metricName":"HTTPCode_ELB_503_Count","dimensions":{"LoadBalancer":"${fleet-lb-alb.arnSuffix}"},"period":60,"stat":"Sum"}},"""
            + """{"id":"healthy","returnData":false,"metric":{"namespace":"AWS/ApplicationELB","metricName":"HealthyHostCount","dimensions":{"LoadBalancer":"${fleet-lb-alb.arnSuffix}","TargetGroup":"${fleet-lb-targets.arnSuffix}"},"period":60,"stat":"Maximum"}},"""
            + """{"id":"wake","expression":"IF(FILL(requests, 0) \u002B FILL(rejected, 0) \u003E 0 AND FILL(healthy, 0) \u003C 1, 1, 0)","label":"requests with no healthy task","returnData":true}]""");
        // At zero there is no target, so the load balancer answers 503 itself and RequestCount (requests for which a
        // target was chosen) stays empty: the 503s must wake the fleet.
        alarm["metricQueries"]![3]!["expression"]!.GetValue<string>().Should().Be("IF(FILL(requests, 0) + FILL(rejected, 0) > 0 AND FILL(healthy, 0) < 1, 1, 0)");
    }

    [Fact]
    public void Idle_StopsEveryTask_AfterAnHourWithoutRequests()
    {
        var policy = AtZero.Properties("fleet-scale-to-zero-idle");
        policy["name"]!.GetValue<string>().Should().Be("llm-cost-prod-fleet-idle-to-zero");
        policy["stepScalingPolicyConfiguration"]!.ToJsonString().Should().Be(
            """{"adjustmentType":"ExactCapacity","cooldown":900,"metricAggregationType":"Maximum","stepAdjustments":[{"metricIntervalLowerBound":"0","scalingAdjustment":0}]}""");

        // 60 minutes as 60 one-minute periods, each with a healthy task and no request. At zero there is no
        // healthy-host data, so the alarm is not in ALARM and cannot stop a task the wake just started (CloudWatch
        // repeats Auto Scaling actions while an alarm stays in ALARM).
        var alarm = AtZero.Properties("fleet-scale-to-zero-idle-alarm");
        alarm["metricQueries"]!.ToJsonString().Should().Be(
            """[{"id":"requests","returnData":false,"metric":{"namespace":"AWS/ApplicationELB","metricName":"RequestCount","dimensions":{"LoadBalancer":"${fleet-lb-alb.arnSuffix}"},"period":60,"stat":"Sum"}},"""
            + """{"id":"healthy","returnData":false,"metric":{"namespace":"AWS/ApplicationELB","metricName":"HealthyHostCount","dimensions":{"LoadBalancer":"${fleet-lb-alb.arnSuffix}","TargetGroup":"${fleet-lb-targets.arnSuffix}"},"period":60,"stat":"Maximum"}},"""
            + """{"id":"idle","expression":"IF(FILL(healthy, 0) \u003E= 1 AND FILL(requests, 0) \u003C 1, 1, 0)","label":"a healthy task and no request","returnData":true}]""");
        alarm["evaluationPeriods"]!.GetValue<int>().Should().Be(60);
        alarm["datapointsToAlarm"]!.GetValue<int>().Should().Be(60);
        alarm["threshold"]!.GetValue<int>().Should().Be(0);
        alarm["comparisonOperator"]!.GetValue<string>().Should().Be("GreaterThanThreshold");
        alarm["treatMissingData"]!.GetValue<string>().Should().Be("notBreaching");
        alarm["alarmActions"]!.ToJsonString().Should().Be("""["${fleet-scale-to-zero-idle.arn}"]""");
    }

    [Fact]
    public void TheMoneyIdleAlarm_DoesNotFireOnAFleetAtZero()
    {
        // At zero there are no targets, so no RequestCountPerTarget data: nothing is billed, so not breaching.
        AtZero.Properties("fleet-alarms-idle")["treatMissingData"]!.GetValue<string>().Should().Be("notBreaching");
        AtTwo.Properties("fleet-alarms-idle")["treatMissingData"]!.GetValue<string>().Should().Be("breaching");
    }

    [Fact]
    public void AtBaselineTwo_TheFleetHasNeitherWakeNorIdle()
    {
        AtTwo.Resources.Select(r => r.Key).Should().NotContain(n => n.StartsWith("fleet-scale-to-zero", StringComparison.Ordinal));
        // Target tracking and latency steps only, as before; the service and group start at prod's baseline 2.
        AtTwo.Count("aws:appautoscaling/policy:Policy").Should().Be(2);
        AtTwo.Properties("fleet-service")["desiredCount"]!.GetValue<int>().Should().Be(2);
        AtTwo.Properties("fleet-capacity-instances")["minSize"]!.GetValue<int>().Should().Be(2);
        Repo.Costs(EcsFleetTests.ProdOnEcs()).ColdStart.Should().BeNull();

        AtZero.Count("aws:appautoscaling/policy:Policy").Should().Be(4);
        AtZero.Resources.Select(r => r.Key).Except(AtTwo.Resources.Select(r => r.Key))
            .Should().BeEquivalentTo("fleet-scale-to-zero-wake", "fleet-scale-to-zero-wake-alarm", "fleet-scale-to-zero-idle", "fleet-scale-to-zero-idle-alarm");
    }

    [Fact]
    public void ThePlan_StatesTheColdStartCost()
    {
        // Demand only 08:00-20:00 on weekdays: the sized fleet goes from 0 to 6 at 08:00 Monday to Friday, 5 starts a
        // week (Sunday 23:00 to Monday 00:00 stays at 0); a week is 730 / 168 = 4.3452 of a month: 5 x 730 / 168 = 21.726.
        // Per start: 1800 s / 3600 = 0.5 instance-hours x 0.7582 USD/h (inf2.xlarge, price snapshot) = 0.3791 USD;
        // x 21.726 = 8.2364 USD a month.
        // Requests meanwhile: 12 rps x 0.7 (small) x 1800 s = 15,120, on small-bedrock at 0.22 USD/1M in and out:
        // 15,120 x (700 + 250) x 0.22 / 1,000,000 = 3.16008 USD a start; x 21.726 = 68.6565 USD a month.
        var cold = Repo.Costs(Zero()).ColdStart!;
        cold.StartsPerMonth.Should().BeApproximately(21.726m, 0.001m);
        cold.StartingUsdPerStart.Should().Be(0.3791m);
        cold.StartingUsdPerMonth.Should().BeApproximately(8.2364m, 0.0001m);
        cold.FallbackRequestsPerStart.Should().BeApproximately(15_120m, 0.001m);
        cold.FallbackUsdPerStart.Should().BeApproximately(3.16008m, 0.00001m);
        cold.FallbackUsdPerMonth.Should().BeApproximately(68.6565m, 0.0001m);
        cold.UnservedRoutes.Should().BeEmpty();
        // After each stop's last request, 60 idle minutes: 21.726 x 1 h x 0.7582 USD/h = 16.4728 USD a month.
        cold.IdleTailUsdPerMonth.Should().BeApproximately(16.4728m, 0.0001m);

        var line = PlanRenderer.Render(Repo.Synthesize(Zero())).Split('\n').Single(l => l.Contains("scales to zero", StringComparison.Ordinal));
        line.Should().Be("  scales to zero when idle (baselineInstances 0): 21.73 starts from zero a month (hours of the demand profile where the sized instances go from 0 to more, x 4.3452 profiles a month);"
            + " each bills 0.5 instance-hours before serving (startupTimeoutSeconds 1800 at 0.7582 USD/h = 0.38 USD, 8.24 USD/month, inside the fleet line's instance-hours),"
            + " sends 15,120 requests to the Bedrock fallback meanwhile (3.16 USD, 68.66 USD/month, in the bedrock line)"
            + " and ends with 60 idle minutes of one instance before the idle alarm stops it (16.47 USD/month, in the fleet line);"
            + " not counted: a first hour needing more than one instance (one is added per start-up time; the rest of its traffic also falls back)");

        var json = JsonNode.Parse(PlanJsonRenderer.Render(Repo.Synthesize(Zero())))!["fleet"]!["coldStart"]!;
        json["startsPerMonth"]!.GetValue<decimal>().Should().Be(21.73m);
        json["fallbackUsdPerMonth"]!.GetValue<decimal>().Should().Be(68.66m);
        JsonNode.Parse(PlanJsonRenderer.Render(Repo.Synthesize(EcsFleetTests.ProdOnEcs())))!["fleet"]!["coldStart"].Should().BeNull();
    }

    [Fact]
    public void TheForecast_CarriesTheColdStarts_FallbackInTheBedrockLine_IdleTailInTheFleetLine()
    {
        // The same stack at baseline 1 sizes the same instances in every hour with demand (one more in each hour
        // without), has no starts and the same overflow (none), so the lines differ by the cold-start figures plus,
        // in the fleet line, the hours without demand at baseline 1.
        var zero = Repo.Costs(Zero()).Forecast.P50;
        var one = Repo.Costs(Zero(ZeroFleet.Replace("\"baselineInstances\":0", "\"baselineInstances\":1", StringComparison.Ordinal))).Forecast.P50;

        // 68.6565 USD a month of fallback requests (ThePlan_StatesTheColdStartCost); each line rounds to the cent.
        (zero[LlmCost.Infra.Sizing.CostLineKind.Bedrock] - one[LlmCost.Infra.Sizing.CostLineKind.Bedrock]).Should().BeApproximately(68.66m, 0.01m);
        zero.Lines.Single(l => l.Kind == LlmCost.Infra.Sizing.CostLineKind.Bedrock).Basis.Should().EndWith(", and its requests while it starts from zero");
        zero.Lines.Single(l => l.Kind == LlmCost.Infra.Sizing.CostLineKind.Fleet).Basis.Should().EndWith(", and the idle hour before each stop from zero");
    }

    [Fact]
    public void ASchedule_MayReturnAFleetThatScalesToZeroToZero_ButNotOneWithABaseline()
    {
        const string schedules = ",\"schedules\":[{\"name\":\"weekday-open\",\"schedule\":\"cron(0 8 ? * MON-FRI *)\",\"minInstances\":2,\"maxInstances\":10},"
            + "{\"name\":\"weekday-close\",\"schedule\":\"cron(0 20 ? * MON-FRI *)\",\"minInstances\":0,\"maxInstances\":10}]}";
        var atZero = ZeroFleet.TrimEnd()[..^1] + schedules;

        Zero(atZero).Fleet!.Serving.Schedules.Select(s => s.MinInstances).Should().Equal(2, 0);
        var act = () => Zero(atZero.Replace("\"baselineInstances\":0", "\"baselineInstances\":1", StringComparison.Ordinal));
        act.Should().Throw<ConfigError>().WithMessage("*llm-cost:fleet.schedules[1].minInstances*from 1 to 100*");
    }
}
