using LlmCost.Infra.Sizing;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Tests.Components;

/// <summary>prod with its fleet on ECS (inf2.xlarge, same bounds and model): resources, router, scaling, names, errors.</summary>
public sealed class EcsFleetTests
{
    /// <summary>prod's fleet as in stacks/Pulumi.prod.yaml, on ECS in an existing VPC.</summary>
    private const string EcsFleet = """
        {"platform":"ecs","instanceType":"inf2.xlarge","modelName":"llama-3.1-8b-instruct","tokensPerSecondPerInstance":2000,"targetUtilisation":0.7,
         "baselineInstances":2,"maxInstances":10,"huggingFaceModelId":"meta-llama/Llama-3.1-8B-Instruct",
         "schedules":[{"name":"weekday-open","schedule":"cron(0 8 ? * MON-FRI *)","minInstances":3,"maxInstances":10},
                      {"name":"weekday-close","schedule":"cron(0 20 ? * MON-FRI *)","minInstances":2,"maxInstances":10}],
         "vpcId":"vpc-0a1b2c3d4e5f60718","subnetIds":["subnet-0aaa1111bbbb2222c","subnet-0ddd3333eeee4444f"],"bedrockEndpoint":"create"}
        """;

    internal static StackSettings ProdOnEcs(string fleet = EcsFleet) => StackSettingsReader.Read(Repo.ConfigWith("prod", ("llm-cost:fleet", fleet)));

    private static readonly ProgramQuery Ecs = ProgramQuery.Of(Repo.Synthesize(ProdOnEcs()).Program);

    private static readonly ProgramQuery SageMaker = ProgramQuery.Of(Repo.Synthesize("prod").Program);

    [Fact]
    public void Cluster_Instances_AndCapacityProvider_FollowTheSettings()
    {
        Ecs.Properties("fleet-cluster")["name"]!.GetValue<string>().Should().Be("llm-cost-prod-fleet");

        var template = Ecs.Properties("fleet-capacity-launch-template");
        template["imageId"]!.ToJsonString().Should().Be(
            """{"fn::invoke":{"function":"aws:ssm/getParameter:getParameter","arguments":{"name":"/aws/service/ecs/optimized-ami/amazon-linux-2023/neuron/recommended/image_id"},"return":"value"}}""");
        template["instanceType"]!.GetValue<string>().Should().Be("inf2.xlarge");
        Encoding.UTF8.GetString(Convert.FromBase64String(template["userData"]!.GetValue<string>()))
            .Should().Be("#!/bin/bash\necho ECS_CLUSTER=llm-cost-prod-fleet >> /etc/ecs/ecs.config\n");
        template["blockDeviceMappings"]![0]!["ebs"]!["volumeSize"]!.GetValue<int>().Should().Be(128);
        template["iamInstanceProfile"]!.ToJsonString().Should().Be("""{"arn":"${fleet-capacity-profile.arn}"}""");
        Ecs.Properties("fleet-capacity-role-ecs")["policyArn"]!.GetValue<string>().Should().Be("arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role");

        // prod: baselineInstances 2, maxInstances 10.
        var group = Ecs.Properties("fleet-capacity-instances");
        group["minSize"]!.GetValue<int>().Should().Be(2);
        group["maxSize"]!.GetValue<int>().Should().Be(10);
        group["vpcZoneIdentifiers"]!.ToJsonString().Should().Be("""["subnet-0aaa1111bbbb2222c","subnet-0ddd3333eeee4444f"]""");
        Ecs.Resource("fleet-capacity-instances")!["options"]!["ignoreChanges"]!.ToJsonString().Should().Be("""["desiredCapacity"]""");

        Ecs.Properties("fleet-capacity-provider")["autoScalingGroupProvider"]!.ToJsonString().Should().Be(
            """{"autoScalingGroupArn":"${fleet-capacity-instances.arn}","managedTerminationProtection":"DISABLED","managedScaling":{"status":"ENABLED","targetCapacity":100,"minimumScalingStepSize":1,"maximumScalingStepSize":8,"instanceWarmupPeriod":300}}""");
        Ecs.Properties("fleet-capacity-cluster-providers")["clusterName"]!.GetValue<string>().Should().Be("${fleet-cluster.name}");
    }

    [Fact]
    public void TaskDefinition_GivesTheServerItsNeuronDevices_AndAHealthCheck()
    {
        var task = Ecs.Properties("fleet-task");
        task["networkMode"]!.GetValue<string>().Should().Be("awsvpc");
        task["requiresCompatibilities"]!.ToJsonString().Should().Be("""["EC2"]""");
        var container = task["containerDefinitions"]!["fn::toJSON"]!.AsArray().Single()!;

        container["image"]!.GetValue<string>().Should().Be("763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.7.0-optimum3.3.6-neuronx-py310-ubuntu22.04");
        // One Inferentia2 chip on an inf2.xlarge: /dev/neuron0; 16 GiB x 0.75 = 12,288 MiB.
        container["linuxParameters"]!["devices"]!.ToJsonString().Should().Be("""[{"hostPath":"/dev/neuron0","containerPath":"/dev/neuron0","permissions":["read","write"]}]""");
        container["memoryReservation"]!.GetValue<int>().Should().Be(12288);
        container["portMappings"]!.ToJsonString().Should().Be("""[{"containerPort":8080,"protocol":"tcp"}]""");
        container["secrets"]!.ToJsonString().Should().Be("""[{"name":"HF_TOKEN","valueFrom":"${fleet-hf-token.arn}"}]""");
        container["environment"]!.ToJsonString().Should().Contain("""{"name":"HF_NUM_CORES","value":"2"}""").And.Contain("""{"name":"MAX_TOTAL_TOKENS","value":"9024"}""");
        // Start-up 3600 s: 300 s start period, then 10 retries every (3600 - 300) / 10 = 330 -> at most 300 s.
        container["healthCheck"]!["interval"]!.GetValue<int>().Should().Be(300);
        container["healthCheck"]!["command"]![1]!.GetValue<string>().Should().Contain("http://localhost:8080/health");
        Ecs.Properties("fleet-hf-token")["value"]!.GetValue<string>().Should().Be("${huggingFaceToken}");
        Ecs.Properties("fleet-hf-token")["type"]!.GetValue<string>().Should().Be("SecureString");
    }

    [Fact]
    public void ALargerInstance_GetsAllItsDevicesAndCores()
    {
        var query = ProgramQuery.Of(Repo.Synthesize(ProdOnEcs(EcsFleet.Replace("inf2.xlarge", "inf2.24xlarge", StringComparison.Ordinal))).Program);
        var container = query.Properties("fleet-task")["containerDefinitions"]!["fn::toJSON"]![0]!;

        // Six chips on an inf2.24xlarge, twelve NeuronCores; 384 GiB x 0.75 = 294,912 MiB.
        container["linuxParameters"]!["devices"]!.AsArray().Select(d => d!["hostPath"]!.GetValue<string>())
            .Should().Equal("/dev/neuron0", "/dev/neuron1", "/dev/neuron2", "/dev/neuron3", "/dev/neuron4", "/dev/neuron5");
        container["environment"]!.ToJsonString().Should().Contain("""{"name":"HF_NUM_CORES","value":"12"}""");
        container["memoryReservation"]!.GetValue<int>().Should().Be(294912);
    }

    [Fact]
    public void Service_RunsBehindAnInternalLoadBalancer_ThatOnlyTheRouterReaches()
    {
        var service = Ecs.Properties("fleet-service");
        service["name"]!.GetValue<string>().Should().Be("llm-cost-prod-fleet");
        service["desiredCount"]!.GetValue<int>().Should().Be(2);
        service["loadBalancers"]!.ToJsonString().Should().Be("""[{"targetGroupArn":"${fleet-lb-targets.arn}","containerName":"server","containerPort":8080}]""");
        service["networkConfiguration"]!["securityGroups"]!.ToJsonString().Should().Be("""["${fleet-lb-tasks-sg.id}"]""");
        service["placementConstraints"]!.ToJsonString().Should().Be("""[{"type":"distinctInstance"}]""");

        var alb = Ecs.Properties("fleet-lb-alb");
        alb["internal"]!.GetValue<bool>().Should().BeTrue();
        alb["securityGroups"]!.ToJsonString().Should().Be("""["${fleet-lb-alb-sg.id}"]""");
        Ecs.Properties("fleet-lb-targets")["healthCheck"]!["path"]!.GetValue<string>().Should().Be("/health");
        Ecs.Properties("fleet-lb-targets")["targetType"]!.GetValue<string>().Should().Be("ip");
        Ecs.Properties("fleet-lb-listener")["port"]!.GetValue<int>().Should().Be(80);

        // Ingress: the load balancer from the router only, the tasks from the load balancer only, the endpoint from the router only.
        Ecs.OfType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .Select(r => $"{r.Resource["properties"]!["securityGroupId"]} <- {r.Resource["properties"]!["referencedSecurityGroupId"]}:{r.Resource["properties"]!["fromPort"]}")
            .Should().BeEquivalentTo(
                "${fleet-lb-alb-sg.id} <- ${fleet-lb-router-sg.id}:80",
                "${fleet-lb-tasks-sg.id} <- ${fleet-lb-alb-sg.id}:8080",
                "${fleet-bedrock-sg.id} <- ${fleet-lb-router-sg.id}:443");
    }

    [Fact]
    public void Router_JoinsTheVpc_CallsTheLoadBalancer_AndGainsOnlyNetworkInterfacePermissions()
    {
        var function = Ecs.Properties("router-function");
        function["vpcConfig"]!.ToJsonString().Should().Be(
            """{"subnetIds":["subnet-0aaa1111bbbb2222c","subnet-0ddd3333eeee4444f"],"securityGroupIds":["${fleet-lb-router-sg.id}"]}""");
        SageMaker.Properties("router-function")["vpcConfig"].Should().BeNull();

        var ecsStatements = ProgramQuery.Document(Ecs.Properties("router-policy")["policy"])["Statement"]!.AsArray();
        var sageMakerStatements = ProgramQuery.Document(SageMaker.Properties("router-policy")["policy"])["Statement"]!.AsArray();
        ecsStatements.Select(s => s!["Sid"]!.GetValue<string>()).Should().Equal(
            sageMakerStatements.Select(s => s!["Sid"]!.GetValue<string>()).Where(s => s != "InvokeFleetEndpoint").Append("ManageVpcNetworkInterfaces"));
        ecsStatements.Single(s => s!["Sid"]!.GetValue<string>() == "ManageVpcNetworkInterfaces")!.ToJsonString().Should().Be(
            """{"Sid":"ManageVpcNetworkInterfaces","Effect":"Allow","Action":["ec2:CreateNetworkInterface","ec2:DescribeNetworkInterfaces","ec2:DescribeSubnets","ec2:DeleteNetworkInterface","ec2:AssignPrivateIpAddresses","ec2:UnassignPrivateIpAddresses"],"Resource":["*"]}""");

        var config = Repo.Synthesize(ProdOnEcs()).RouterConfiguration.Routes.Single(r => r.Name == "small");
        config.InvokeId.Should().Be("llm-cost-prod-fleet");
        config.Transport!.Kind.Should().Be(LlmCost.CostModel.Vocabulary.FleetTransportKind.OpenAiHttp);
        config.Transport.Url!.Reference.Should().Be(new LlmCost.CostModel.DeployReference("fleet-lb-alb", "dnsName", "http://"));
        Ecs.Output("fleetUrl")!.GetValue<string>().Should().Be("http://${fleet-lb-alb.dnsName}");
        Ecs.Output("fleetServiceName")!.GetValue<string>().Should().Be("llm-cost-prod-fleet");
    }

    [Fact]
    public void BedrockEndpoint_IsCreatedOnlyWhenAsked()
    {
        var endpoint = Ecs.Properties("fleet-bedrock-endpoint");
        endpoint["serviceName"]!.GetValue<string>().Should().Be("com.amazonaws.us-east-1.bedrock-runtime");
        endpoint["vpcEndpointType"]!.GetValue<string>().Should().Be("Interface");
        endpoint["privateDnsEnabled"]!.GetValue<bool>().Should().BeTrue();
        endpoint["securityGroupIds"]!.ToJsonString().Should().Be("""["${fleet-bedrock-sg.id}"]""");

        var existing = ProgramQuery.Of(Repo.Synthesize(ProdOnEcs(EcsFleet.Replace("\"create\"", "\"existing\"", StringComparison.Ordinal))).Program);
        existing.Resources.Select(r => r.Key).Should().NotContain(n => n.StartsWith("fleet-bedrock-", StringComparison.Ordinal));
        existing.Properties("router-function")["vpcConfig"].Should().NotBeNull();
    }

    [Fact]
    public void Scaling_IsTheServicesDesiredCount_BetweenThePlansBaselineAndBurst()
    {
        // prod: baselineInstances 2 and maxInstances 10 win over the sized bounds.
        var costs = Repo.Costs(ProdOnEcs());
        costs.Fleet!.MinInstances.Should().Be(2);
        costs.Fleet.MaxInstances.Should().Be(10);

        Ecs.Properties("fleet-scaling-target").ToJsonString().Should().Be(
            """{"serviceNamespace":"ecs","resourceId":"service/${fleet-cluster.name}/${fleet-service.name}","scalableDimension":"ecs:service:DesiredCount","minCapacity":2,"maxCapacity":10}""");
        // 2000 tokens/s x 0.7 x 60 s / (700 + 250) tokens a request = 88.42 -> 88 requests per target per minute.
        Ecs.Properties("fleet-scaling-invocations")["targetTrackingScalingPolicyConfiguration"]!.ToJsonString().Should().Be(
            """{"targetValue":88,"predefinedMetricSpecification":{"predefinedMetricType":"ALBRequestCountPerTarget","resourceLabel":"${fleet-lb-alb.arnSuffix}/${fleet-lb-targets.arnSuffix}"},"disableScaleIn":false,"scaleInCooldown":900,"scaleOutCooldown":300}""");
        // 15,000 ms = 15 s of TargetResponseTime; +1 up to 7.5 s over it, +2 beyond.
        Ecs.Properties("fleet-scaling-latency")["stepScalingPolicyConfiguration"]!["stepAdjustments"]!.ToJsonString().Should().Be(
            """[{"metricIntervalLowerBound":"0","metricIntervalUpperBound":"7.5","scalingAdjustment":1},{"metricIntervalLowerBound":"7.5","scalingAdjustment":2}]""");
        var alarm = Ecs.Properties("fleet-scaling-latency-alarm");
        alarm["namespace"]!.GetValue<string>().Should().Be("AWS/ApplicationELB");
        alarm["metricName"]!.GetValue<string>().Should().Be("TargetResponseTime");
        alarm["threshold"]!.GetValue<decimal>().Should().Be(15m);
        Ecs.Count("aws:appautoscaling/scheduledAction:ScheduledAction").Should().Be(2);
        Ecs.Output("fleetScaling")!.ToJsonString().Should().Contain("\"minInstances\":2,\"maxInstances\":10");
    }

    [Fact]
    public void FleetAlarms_ReadTheLoadBalancersTargetGroup()
    {
        var targets = """{"LoadBalancer":"${fleet-lb-alb.arnSuffix}","TargetGroup":"${fleet-lb-targets.arnSuffix}"}""";
        var atMax = Ecs.Properties("fleet-alarms-at-max");
        atMax["metricName"]!.GetValue<string>().Should().Be("HealthyHostCount");
        atMax["dimensions"]!.ToJsonString().Should().Be(targets);
        atMax["threshold"]!.GetValue<int>().Should().Be(10);

        // 1% of 88 requests a minute per target, over an hour: 52.8 -> 52.
        var idle = Ecs.Properties("fleet-alarms-idle");
        idle["metricName"]!.GetValue<string>().Should().Be("RequestCountPerTarget");
        idle["threshold"]!.GetValue<int>().Should().Be(52);
        idle["treatMissingData"]!.GetValue<string>().Should().Be("breaching");

        Ecs.Properties("fleet-alarms-errors")["metricQueries"]![0]!["metric"]!["metricName"]!.GetValue<string>().Should().Be("HTTPCode_Target_5XX_Count");
        Ecs.OfType("aws:cloudwatch/metricAlarm:MetricAlarm").Select(a => a.Resource["properties"]!["namespace"]?.GetValue<string>())
            .Should().NotContain("AWS/SageMaker");

        // The dashboard's fleet panel: healthy targets and requests against the plan's bounds (2 and 10).
        var panel = ProgramQuery.Document(Ecs.Properties("dashboard-dashboard")["dashboardBody"])["widgets"]!.AsArray()
            .Single(w => w!["properties"]!["title"]!.GetValue<string>() == "Fleet size against demand")!["properties"]!;
        panel["metrics"]!.ToJsonString().Should().Contain("\"HealthyHostCount\",\"LoadBalancer\",\"${fleet-lb-alb.arnSuffix}\",\"TargetGroup\",\"${fleet-lb-targets.arnSuffix}\"")
            .And.NotContain("AWS/SageMaker");
        panel["annotations"]!["horizontal"]!.AsArray().Select(h => h!["value"]!.GetValue<int>()).Should().Equal(2, 10);
    }

    [Fact]
    public void Plan_ShowsTheFleetOnEcs_WithItsKeySettings()
    {
        var lines = LlmCost.Infra.Cli.PlanRenderer.Render(Repo.Synthesize(ProdOnEcs())).Split('\n');

        lines.Should().Contain("fleet: ecs inf2.xlarge serving llama-3.1-8b-instruct on service llm-cost-prod-fleet in vpc-0a1b2c3d4e5f60718");
        lines.Single(l => l.TrimStart().StartsWith("fleet-scaling-target", StringComparison.Ordinal)).Should().EndWith("minCapacity=2 maxCapacity=10");
        lines.Single(l => l.TrimStart().StartsWith("router-policy", StringComparison.Ordinal)).Should().NotContain("sagemaker:").And.EndWith(",ec2:CreateNetworkInterface+DescribeNetworkInterfaces+DescribeSubnets+DeleteNetworkInterface+AssignPrivateIpAddresses+UnassignPrivateIpAddresses");
    }

    [Fact]
    public void SwitchingPlatform_ChangesOnlyTheFleet_TheRoutersNetworkTransportAndGrants_AndWhatThePlanPrices()
    {
        static bool IsFleet(string name) => name.StartsWith("fleet-", StringComparison.Ordinal);
        var before = SageMaker.Resources.Select(r => r.Key).ToHashSet();
        var after = Ecs.Resources.Select(r => r.Key).ToHashSet();

        before.Except(after).Should().OnlyContain(n => n.StartsWith("fleet-", StringComparison.Ordinal));
        after.Except(before).Should().OnlyContain(n => n.StartsWith("fleet-", StringComparison.Ordinal));
        var changed = before.Intersect(after).Where(n => !IsFleet(n))
            .Where(n => SageMaker.Resources[n]!.ToJsonString() != Ecs.Resources[n]!.ToJsonString()).Order(StringComparer.Ordinal).ToList();

        // The router (VPC, transport in its configuration, grants) and the dashboard's fleet panel (SageMaker metrics);
        // besides, what carries the plan's figures, whose fleet line is priced per platform (EC2 against SageMaker
        // hours): spend alarms and budgets, the Savings Plan utilization budget, the spend-against-forecast query.
        string[] carryThePlan = ["alarms-", "budget-", "savings-plan-budget-", "analytics-queries-query-spend-vs-forecast", "analytics-quicksight-dataset-spend-vs-forecast"];
        changed.Where(n => n is not ("router-function" or "router-policy" or "dashboard-dashboard"))
            .Should().OnlyContain(n => carryThePlan.Any(p => n.StartsWith(p, StringComparison.Ordinal)));
        changed.Should().Contain(["router-function", "router-policy"]);
    }

    [Fact]
    public void EveryPrintedName_MatchesItsAwsApiPattern()
    {
        var checkedCount = 0;
        foreach (var (name, resource) in Ecs.Resources.Select(r => (r.Key, r.Value!.AsObject())))
        {
            var type = resource["type"]!.GetValue<string>();
            foreach (var (property, value) in resource["properties"]?.AsObject() ?? [])
            {
                var text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
                if (AwsNames.For(type, property) is { } rule && text is not null && !text.Contains("${", StringComparison.Ordinal))
                {
                    rule.Problem(text).Should().BeNull($"{name}.{property}");
                    checkedCount++;
                }
            }

            if (AwsNames.ForAutoName(type) is { } autoRule && resource["properties"]?["name"] is null)
            {
                (name.Length + AwsNames.PulumiAutoNameSuffix).Should().BeLessThanOrEqualTo(autoRule.MaxLength, $"{name} is auto-named by Pulumi");
            }
        }

        // Cluster, service, family, load balancer, parameter, 8 security groups' and rules' descriptions at least.
        checkedCount.Should().BeGreaterThan(15);
        AwsNames.LoadBalancerName.Accepts(new string('a', 33)).Should().BeFalse();
        AwsNames.LoadBalancerName.Accepts("internal-fleet").Should().BeFalse();
        AwsNames.TargetGroupName.Accepts("-fleet").Should().BeFalse();
        AwsNames.EcsCapacityProviderName.Accepts("ECS-fleet").Should().BeFalse();
        AwsNames.SsmParameterName.Accepts("/aws/fleet").Should().BeFalse();
        // A long stack name: the load balancer's name is cut to 32 with a hash.
        AwsNames.LoadBalancerName.Join("-", "llm-cost-a-very-long-stack-name-x-fleet").Length.Should().Be(32);
    }

    [Fact]
    public void NetworkCost_IsTheLoadBalancerAndTheEndpoint_OnTheMonthsAverageTraffic()
    {
        var demand = new LlmCost.Infra.Sizing.DemandProfile([1m], 700m, 250m, "test");
        var prices = new Dictionary<string, decimal>
        {
            ["elb-application-per-hour"] = 0.0225m, ["elb-application-per-lcu-hour"] = 0.008m,
            ["vpc-interface-endpoint-per-az-hour"] = 0.01m, ["vpc-interface-endpoint-per-gb"] = 0.01m,
        };

        // 700 x 4 + 250 x 200 = 52,800 bytes a request. Fleet: 10,000,000 requests = 528 GB, 0.7233 GB an hour
        // (3.8 requests/s / 25 = 0.15 LCU: bytes lead), so 528 LCU-hours x 0.008 = 4.224; 730 h x 0.0225 = 16.425.
        // Endpoint in 2 AZs: 730 x 2 x 0.01 = 14.60; 1,000,000 Bedrock requests = 52.8 GB x 0.01 = 0.528.
        var withEndpoint = LlmCost.Infra.Sizing.EcsNetworkCost.Monthly(demand, 10_000_000m, 1_000_000m, 2, k => prices.GetValueOrDefault(k));
        var withoutEndpoint = LlmCost.Infra.Sizing.EcsNetworkCost.Monthly(demand, 10_000_000m, 1_000_000m, 0, k => prices.GetValueOrDefault(k));

        withoutEndpoint.Should().Be(16.425m + 4.224m);
        withEndpoint.Should().Be(16.425m + 4.224m + 14.60m + 0.528m);
    }

    [Fact]
    public void TheForecastsFleetLine_CarriesTheBedrockEndpoint_WhenTheStackCreatesIt()
    {
        var create = Repo.Costs(ProdOnEcs()).Forecast.P50[CostLineKind.Fleet];
        var existing = Repo.Costs(ProdOnEcs(EcsFleet.Replace("\"create\"", "\"existing\"", StringComparison.Ordinal))).Forecast.P50[CostLineKind.Fleet];

        // prod's month: 3,600 x (60 h x 12 + 108 h x 3 requests/s) a week x 730 / 168 = 16,331,142.86 requests; 30% on
        // Bedrock (the fleet at 10 instances has no overflow) = 4,899,342.86 x 52,800 bytes = 258.69 GB x 0.01 = 2.59;
        // plus 730 h x 2 AZs x 0.01 = 14.60.
        (create - existing).Should().BeApproximately(17.19m, 0.011m);
    }

    [Theory]
    [InlineData("vpcId", "llm-cost:fleet.vpcId: is required: expected the ID of the existing VPC the fleet and the router run in, vpc- and 8 or 17 hex digits")]
    [InlineData("subnetIds", "llm-cost:fleet.subnetIds: is required: expected a list of at least 2 private subnet IDs")]
    [InlineData("bedrockEndpoint", "llm-cost:fleet.bedrockEndpoint: is required for platform ecs")]
    public void AMissingNetworkKey_StopsNamingIt(string key, string expected)
    {
        var fleet = JsonNode.Parse(EcsFleet)!.AsObject();
        fleet.Remove(key);

        var act = () => ProdOnEcs(fleet.ToJsonString());

        act.Should().Throw<ConfigError>().Which.Message.Should().StartWith($"stacks/Pulumi.prod.yaml: {expected}");
    }

    [Theory]
    [InlineData("\"vpcId\":\"vpc-0a1b2c3d4e5f60718\"", "\"vpcId\":\"vpc-123\"", "llm-cost:fleet.vpcId: expected the ID of the existing VPC")]
    [InlineData("\"subnetIds\":[\"subnet-0aaa1111bbbb2222c\",\"subnet-0ddd3333eeee4444f\"]", "\"subnetIds\":[\"subnet-0aaa1111bbbb2222c\"]", "llm-cost:fleet.subnetIds: expected a list of at least 2 private subnet IDs")]
    [InlineData("subnet-0ddd3333eeee4444f", "sub-0ddd3333eeee4444f", "llm-cost:fleet.subnetIds: expected a list of at least 2 private subnet IDs")]
    [InlineData("\"bedrockEndpoint\":\"create\"", "\"bedrockEndpoint\":\"nat\"", "llm-cost:fleet.bedrockEndpoint: expected create or existing, got \"nat\"")]
    [InlineData("\"instanceType\":\"inf2.xlarge\"", "\"instanceType\":\"ml.inf2.xlarge\"", "llm-cost:fleet.instanceType: expected an Inferentia2 EC2 instance type")]
    [InlineData("\"huggingFaceModelId\":\"meta-llama/Llama-3.1-8B-Instruct\"", "\"modelDataUrl\":\"s3://example-models/neuron/\"", "llm-cost:fleet.modelDataUrl: is only for platform sagemaker")]
    public void AMalformedNetworkOrSageMakerOnlyKey_StopsNamingIt(string from, string to, string expected)
    {
        var act = () => ProdOnEcs(EcsFleet.Replace(from, to, StringComparison.Ordinal));

        act.Should().Throw<ConfigError>().Which.Message.Should().StartWith($"stacks/Pulumi.prod.yaml: {expected}");
    }

    [Fact]
    public void NetworkKeys_AreRefusedOnSageMaker()
    {
        var fleet = EcsFleet.Replace("\"platform\":\"ecs\",\"instanceType\":\"inf2.xlarge\"", "\"platform\":\"sagemaker\",\"instanceType\":\"ml.inf2.xlarge\"", StringComparison.Ordinal);

        var act = () => ProdOnEcs(fleet);

        act.Should().Throw<ConfigError>().Which.Message.Should().Be(
            "stacks/Pulumi.prod.yaml: llm-cost:fleet.vpcId: is only for platform ecs (the fleet on EC2 in an existing VPC); a sagemaker fleet needs no network settings");
    }
}
