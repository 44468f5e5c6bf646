using System.Globalization;
using System.Text.RegularExpressions;
using LlmCost.CostModel;
using LlmCost.CostModel.Vocabulary;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.Fleet;

/// <summary>
/// The Inferentia2 fleet on ECS (EC2 <c>inf2.*</c>): a cluster with its instances (<see cref="EcsCapacity"/>), a
/// task definition that gives the Neuron serving container (<see cref="NeuronServingImages"/>, the same TGI for
/// Neuron as on SageMaker, speaking OpenAI chat completions on <c>/v1/chat/completions</c>) every Neuron device of
/// its instance, a service of one task per instance behind an internal load balancer (<see cref="FleetNetwork"/>),
/// and its scaling (<see cref="FleetScaling"/>). To the router it is a backend reached over HTTP inside the VPC:
/// the router joins the VPC in the load balancer's admitted group, its fleet routes go to
/// <c>http://{load balancer}</c>, and it reaches Bedrock through an interface endpoint or an existing route.
/// <para>
/// Tasks use awsvpc networking: each task has its own interface and security group, so "the tasks admit only the
/// load balancer" is a rule on the tasks' group rather than on the instances' ephemeral ports (bridge mode), and the
/// target group registers task IPs. An inf2.xlarge's four interfaces hold its one task.
/// </para>
/// </summary>
internal sealed class EcsFleet : Component, IRouterBackend, ICostsMoney
{
    /// <summary>The instances, net of the recommended commitment, their gp3 volumes, the internal load balancer and, where the stack makes one, the Bedrock interface endpoint.</summary>
    public static IEnumerable<CostLine> MonthlyCost(CostMonth month)
    {
        var cost = FleetInstanceCost.Monthly(month, month.Service(Pricing.ServicePrices.EbsGp3PerGbMonth));
        if (month.Fleet is { } fleet && month.Settings.Fleet?.Network is { } network)
        {
            var fleetRequests = month.Requests * month.FleetShare;
            cost += EcsNetworkCost.Monthly(month.Demand, fleetRequests, month.Requests - fleetRequests + (fleet.OverflowShare * fleetRequests),
                network.BedrockEndpoint == BedrockEndpointMode.Create ? network.SubnetIds.Count : 0, month.Service);
        }

        var coldStart = month.ColdStart;
        cost += coldStart?.IdleTailUsdPerMonth ?? 0m;
        yield return new(CostLineKind.Fleet, Math.Round(cost, 2),
            "instance-hours at the hourly rate, net of the recommended Savings Plan, plus each instance's volume per GB-month, the load balancer's hours and LCUs and the interface endpoint's AZ-hours and GB"
            + (coldStart is null ? "" : ", and the idle hour before each stop from zero"));
    }

    public const string ContainerName = "server";

    /// <summary>The port the Hugging Face TGI image's entrypoint serves on (as SageMaker expects).</summary>
    public const int ContainerPort = 8080;

    /// <summary>TGI's health route: 200 once the model is loaded and answers.</summary>
    public const string HealthPath = "/health";

    /// <summary>ECS's longest container health check start period (the ALB grace period covers Neuron compilation).</summary>
    private const int HealthCheckStartPeriodSeconds = 300;

    private const int HealthCheckRetries = 10;

    private readonly string _name;
    private readonly FleetNetworkOutputs _network;
    private readonly FleetNetworkSettings _networkSettings;

    public EcsFleet(Component parent, EcsFleetArgs args) : base(parent, "fleet")
    {
        var fleet = args.Fleet;
        var serving = fleet.Serving;
        _networkSettings = fleet.Network ?? throw new ArgumentException("a fleet on ECS has network settings", nameof(args));
        _name = AwsNames.EcsServiceName.Join("-", fleet.EndpointName);
        var image = serving.Image ?? NeuronServingImages.For(Context.Region)
            ?? throw new ConfigError(Context.Settings.Source, "aws:region", $"no Neuron serving image is known for region {Context.Region}");
        var logGroupName = $"/llm-cost/{Context.Settings.Stack}/fleet";

        var cluster = Add("cluster", "aws:ecs/cluster:Cluster", Map(("name", AwsNames.EcsClusterName.Join("-", _name))));
        var capacity = new EcsCapacity(this, new EcsCapacityArgs(cluster, _name, _networkSettings, fleet.InstanceType, serving.VolumeSizeGb, args.MinInstances, args.MaxInstances)).Outputs;
        _network = new FleetNetwork(this, new FleetNetworkArgs(_networkSettings, _name, ContainerPort, HealthPath)).Outputs;
        if (_networkSettings.BedrockEndpoint == BedrockEndpointMode.Create)
        {
            _ = new BedrockEndpoint(this, new BedrockEndpointArgs(_networkSettings, _network.Router));
        }

        var logs = LogGroup("logs", logGroupName, Context.Settings.Router.LogRetentionDays);
        var token = serving.HuggingFaceModelId is null ? null : Add("hf-token", "aws:ssm/parameter:Parameter", Map(
            ("name", AwsNames.SsmParameterName.Join("", $"/llm-cost/{Context.Settings.Stack}/fleet/hugging-face-token")),
            ("description", "Hugging Face access token of the fleet's serving tasks (from the secret config key huggingFaceToken)"),
            ("type", "SecureString"),
            ("value", Context.Program.AddConfig(new ConfigDeclaration(StackSettingsReader.HuggingFaceTokenKey, "string", Secret: true)))));

        var executionRole = Add("execution-role", "aws:iam/role:Role", Map(
            ("description", $"llm-cost {Context.Settings.Stack} fleet tasks: pull the serving image, read the model token, write the task logs"),
            ("assumeRolePolicy", ToJson(AssumedBy("ecs-tasks.amazonaws.com", Map(("StringEquals", Map(("aws:SourceAccount", Context.AccountId)))))))));
        var executionPolicy = Add("execution-policy", "aws:iam/rolePolicy:RolePolicy", Map(
            ("role", Ref(executionRole.Name, "id")),
            ("policy", ToJson(Policy([.. ExecutionStatements(image, logs, token)])))));

        var environment = NeuronServingEnvironment.For(fleet, serving, args.FleetRoutes, modelDirectory: "")
            .Append((Name: "PORT", Value: ContainerPort.ToString(CultureInfo.InvariantCulture)))
            .Select(e => (Value)Map(("name", e.Name), ("value", e.Value)));
        var healthInterval = Math.Clamp((serving.StartupTimeoutSeconds - HealthCheckStartPeriodSeconds) / HealthCheckRetries, 5, 300);
        var container = Map(
            ("name", ContainerName),
            ("image", image),
            ("essential", true),
            ("memoryReservation", Inf2Instances.ContainerMemoryMiB(fleet.InstanceType)),
            ("portMappings", List(Map(("containerPort", ContainerPort), ("protocol", "tcp")))),
            ("environment", List(environment)),
            ("secrets", token is null ? null : List(Map(("name", "HF_TOKEN"), ("valueFrom", Ref(token.Name, "arn"))))),
            ("linuxParameters", Map(
                ("devices", List(Inf2Instances.Devices(fleet.InstanceType).Select(d => (Value)Map(
                    ("hostPath", d), ("containerPath", d), ("permissions", Strings(["read", "write"])))))),
                // Neuron runtime pins its DMA buffers.
                ("capabilities", Map(("add", Strings(["IPC_LOCK"])))))),
            // The image has Python (the TGI launcher's), not necessarily curl.
            ("healthCheck", Map(
                ("command", Strings(["CMD-SHELL", $"python3 -c \"import urllib.request; urllib.request.urlopen('http://localhost:{ContainerPort}{HealthPath}', timeout=4)\" || exit 1"])),
                ("interval", healthInterval),
                ("timeout", 5),
                ("retries", HealthCheckRetries),
                ("startPeriod", HealthCheckStartPeriodSeconds))),
            ("logConfiguration", Map(
                ("logDriver", "awslogs"),
                ("options", Map(("awslogs-group", logGroupName), ("awslogs-region", Context.Region), ("awslogs-stream-prefix", "fleet"))))));

        var task = Add("task", "aws:ecs/taskDefinition:TaskDefinition", Map(
                ("family", AwsNames.EcsTaskFamily.Join("-", _name)),
                ("requiresCompatibilities", Strings(["EC2"])),
                ("networkMode", "awsvpc"),
                ("executionRoleArn", Ref(executionRole.Name, "arn")),
                ("containerDefinitions", ToJson(List(container)))),
            new ResourceOptions { DependsOn = [executionPolicy.Name, logs.Name] });

        // Tasks wait for the listener (a target group must belong to a load balancer) and the cluster's capacity provider.
        var service = Add("service", "aws:ecs/service:Service", Map(
                ("name", _name),
                ("cluster", Ref(cluster.Name, "arn")),
                ("taskDefinition", Ref(task.Name, "arn")),
                ("desiredCount", args.MinInstances),
                ("capacityProviderStrategies", List(Map(("capacityProvider", Ref(capacity.Provider.Name, "name")), ("weight", 1), ("base", 0)))),
                ("placementConstraints", List(Map(("type", "distinctInstance")))),
                ("networkConfiguration", Map(
                    ("subnets", Strings(_networkSettings.SubnetIds)),
                    ("securityGroups", List(Ref(_network.Tasks.Name, "id"))),
                    ("assignPublicIp", false))),
                ("loadBalancers", List(Map(("targetGroupArn", Ref(_network.TargetGroup.Name, "arn")), ("containerName", ContainerName), ("containerPort", ContainerPort)))),
                // Load balancer health checks wait while the model downloads and compiles for Neuron.
                ("healthCheckGracePeriodSeconds", serving.StartupTimeoutSeconds),
                ("deploymentCircuitBreaker", Map(("enable", true), ("rollback", true))),
                ("waitForSteadyState", false)),
            new ResourceOptions { DependsOn = [_network.Listener.Name, capacity.ClusterProviders.Name], IgnoreChanges = ["desiredCount"] });

        var perInstancePerMinute = InvocationTarget.PerInstancePerMinute(fleet.TokensPerSecondPerInstance, fleet.TargetUtilisation, args.TokensPerRequest);
        var lbDimension = Ref(_network.LoadBalancer.Name, "arnSuffix");
        var scaling = new FleetScaling(this, new FleetScalingArgs(
            Fleet: new ScalableFleet(
                ServiceNamespace: "ecs",
                ResourceId: Interpolate("service/", Ref(cluster.Name, "name"), "/", Ref(service.Name, "name")),
                ScalableDimension: "ecs:service:DesiredCount",
                TrackingPolicyName: "fleet-requests-per-target",
                // ALBRequestCountPerTarget counts a target's requests per minute, as SageMaker counts invocations per instance.
                TrackingMetric: Map(
                    ("predefinedMetricType", "ALBRequestCountPerTarget"),
                    ("resourceLabel", Interpolate(lbDimension, "/", Ref(_network.TargetGroup.Name, "arnSuffix")))),
                Latency: new LatencySignal("AWS/ApplicationELB", "TargetResponseTime",
                    Map(("LoadBalancer", lbDimension), ("TargetGroup", Ref(_network.TargetGroup.Name, "arnSuffix"))), ms => ms / 1000m)),
            MinInstances: args.MinInstances,
            MaxInstances: args.MaxInstances,
            InvocationsPerInstancePerMinute: perInstancePerMinute,
            ScaleOutLatencyMs: serving.ScaleOutLatencyMs,
            Schedules: serving.Schedules));

        if (args.MinInstances == 0)
        {
            _ = new ScaleToZero(this, new ScaleToZeroArgs(scaling.Outputs.Target, lbDimension, Ref(_network.TargetGroup.Name, "arnSuffix"), serving.StartupTimeoutSeconds));
        }

        Outputs = new EcsFleetOutputs(service, _name, Interpolate("http://", Ref(_network.LoadBalancer.Name, "dnsName")), image, scaling.Outputs, perInstancePerMinute,
            lbDimension, Ref(_network.TargetGroup.Name, "arnSuffix"));
        Context.Notes.Add($"fleet on ECS: the router joins VPC {_networkSettings.VpcId} (subnets {string.Join(", ", _networkSettings.SubnetIds)}) and reaches Bedrock "
            + (_networkSettings.BedrockEndpoint == BedrockEndpointMode.Create
                ? "through the bedrock-runtime interface endpoint this stack creates"
                : "over the VPC's existing route (llm-cost:fleet.bedrockEndpoint: existing: a NAT gateway or an endpoint made elsewhere)")
            + "; where apps have budgets it reaches their table (DynamoDB) only over a NAT gateway or a DynamoDB gateway endpoint on the subnets' route tables, and the tasks download the model from Hugging Face and pull their image over the VPC's route to the internet");
    }

    public EcsFleetOutputs Outputs { get; }

    /// <summary>The router reaches the fleet over the VPC; AWS permissions are the network interfaces' only (RouterFunction adds them).</summary>
    public IReadOnlyList<Value> RouterStatements => [];

    public IReadOnlyList<AppRouteHandle> AppHandles => [];

    public RouterNetworkNeeds Network => RouterNetworkNeeds.InVpc(_networkSettings.SubnetIds, Ref(_network.Router.Name, "id"));

    public string? InvokeId(RouteSettings route) => route.IsBedrock ? null : _name;

    public FleetTransport? Transport(RouteSettings route) => route.IsBedrock
        ? null
        : new FleetTransport(FleetTransportKind.OpenAiHttp, DeployValue.Of(new DeployReference(_network.LoadBalancer.Name, "dnsName", "http://")));

    /// <summary>Pull exactly the serving image, read exactly the token parameter, write exactly the fleet's log group.</summary>
    private List<Value> ExecutionStatements(string image, ReferenceValue logs, ReferenceValue? token)
    {
        var ecr = Regex.Match(image, NeuronServingImages.EcrImagePattern);
        var (registry, imageRegion, repository) = (ecr.Groups[1].Value, ecr.Groups[2].Value, ecr.Groups[3].Value);
        var statements = new List<Value>
        {
            Allow("PullServingImage", ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                [$"arn:{Partitions.Of(imageRegion)}:ecr:{imageRegion}:{registry}:repository/{repository}"]),
            // ECR's login has no resource to scope to.
            Allow("GetRegistryLogin", ["ecr:GetAuthorizationToken"], ["*"]),
            Allow("WriteTaskLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [Interpolate(Ref(logs.Name, "arn"), ":*")]),
        };
        if (token is not null)
        {
            statements.Add(Allow("ReadModelToken", ["ssm:GetParameters"], [Ref(token.Name, "arn")]));
        }

        return statements;
    }
}

/// <param name="MinInstances">The scaling minimum, the Auto Scaling group's minimum and the service's first count: the plan's baseline, at least one unless the config sets 0 (scale to zero, <see cref="ScaleToZero"/>).</param>
/// <param name="MaxInstances">The scaling and Auto Scaling group maximum: the plan's burst.</param>
/// <param name="FleetRoutes">The routes served by the fleet: the compiled shapes must hold their largest request.</param>
/// <param name="TokensPerRequest">Input plus output tokens of the plan's average request, for the requests-per-target target.</param>
internal sealed record EcsFleetArgs(FleetSettings Fleet, FleetPlan Plan, int MinInstances, int MaxInstances, IReadOnlyList<RouteSettings> FleetRoutes, decimal TokensPerRequest)
{
    /// <summary>The same bounds as on SageMaker: the plan's, config winning, at least one instance; but a configured baseline of 0 scales to zero (the maximum stays at least one).</summary>
    public static EcsFleetArgs From(StackSettings settings, CostPlan costs)
    {
        var bounds = SageMakerFleetArgs.From(settings, costs);
        var min = settings.Fleet!.ScalesToZero ? 0 : bounds.MinInstances;
        return new EcsFleetArgs(bounds.Fleet, bounds.Plan, min, bounds.MaxInstances, bounds.FleetRoutes, bounds.TokensPerRequest);
    }
}

/// <param name="ServiceName">The ECS service's (and cluster's) name: the router configuration's invoke id for fleet routes.</param>
/// <param name="Url">The internal load balancer's URL, known at deploy time.</param>
/// <param name="LoadBalancerDimension">The load balancer's and target group's CloudWatch dimensions (their <c>arnSuffix</c>).</param>
internal sealed record EcsFleetOutputs(ReferenceValue Service, string ServiceName, Value Url, string Image, FleetScalingOutputs Scaling, int InvocationsPerInstancePerMinute,
    Value LoadBalancerDimension, Value TargetGroupDimension);
