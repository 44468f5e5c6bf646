using System.Text.RegularExpressions;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;
using LlmCost.CostModel;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Components.Fleet;

/// <summary>
/// The Inferentia2 fleet on SageMaker: a Neuron serving container (<see cref="NeuronServingImages"/>) loading the
/// model from Hugging Face or from precompiled artifacts in S3, an execution role that can pull exactly that image,
/// read exactly that prefix and write the endpoint's logs, an endpoint configuration starting at the plan's
/// baseline, the endpoint, and its scaling (<see cref="FleetScaling"/>). To the router it is a backend: it may
/// invoke exactly this endpoint, and a fleet route is sent to it by name.
/// </summary>
internal sealed class SageMakerFleet : Component, IRouterBackend, ICostsMoney
{
    /// <summary>The instances, net of the recommended commitment, and their ML storage volumes.</summary>
    public static IEnumerable<CostLine> MonthlyCost(CostMonth month)
    {
        yield return new(CostLineKind.Fleet, Math.Round(FleetInstanceCost.Monthly(month, month.Service(Pricing.ServicePrices.SageMakerStoragePerGbMonth)), 2),
            "instance-hours at the hourly rate, net of the recommended Savings Plan, plus each instance's volume per GB-month");
    }

    /// <summary>The one production variant: scaling and the router's metrics name it.</summary>
    public const string VariantName = "primary";

    /// <summary>Where the container finds precompiled artifacts that SageMaker copied from S3.</summary>
    private const string ModelDirectory = "/opt/ml/model";

    private readonly string _endpointName;

    public SageMakerFleet(Component parent, SageMakerFleetArgs args) : base(parent, "fleet")
    {
        var fleet = args.Fleet;
        var serving = fleet.Serving ?? throw new ArgumentException("a deployed fleet has serving settings", nameof(args));
        var plan = args.Plan;
        _endpointName = AwsNames.SageMakerEndpointName.Join("-", fleet.EndpointName!);
        var image = serving.Image ?? NeuronServingImages.For(Context.Region)
            ?? throw new ConfigError(Context.Settings.Source, "aws:region", $"no Neuron serving image is known for region {Context.Region}");

        var role = Add("role", "aws:iam/role:Role", Map(
            ("description", $"llm-cost {Context.Settings.Stack} fleet: pull its serving image, read its model, write its endpoint logs"),
            ("assumeRolePolicy", ToJson(AssumedBy("sagemaker.amazonaws.com")))));
        var policy = Add("policy", "aws:iam/rolePolicy:RolePolicy", Map(
            ("role", Ref(role.Name, "id")),
            ("policy", ToJson(Policy([.. ExecutionStatements(image, serving.ModelDataUrl)])))));

        var model = Add("model", "aws:sagemaker/model:Model", Map(
                ("executionRoleArn", Ref(role.Name, "arn")),
                ("primaryContainer", Map(
                    ("image", image),
                    ("environment", Environment(args, serving)),
                    ("modelDataSource", serving.ModelDataUrl is { } url
                        ? Map(("s3DataSources", List(Map(("s3Uri", url), ("s3DataType", "S3Prefix"), ("compressionType", "None")))))
                        : null)))),
            // SageMaker checks that the role can pull the image when the model is created.
            new ResourceOptions { DependsOn = [policy.Name] });

        // Auto-named, so a changed configuration is created beside the old one and the endpoint switches without downtime.
        var endpointConfig = Add("endpoint-config", "aws:sagemaker/endpointConfiguration:EndpointConfiguration", Map(
            ("productionVariants", List(Map(
                ("variantName", VariantName),
                ("modelName", Ref(model.Name, "name")),
                ("instanceType", fleet.InstanceType!),
                ("initialInstanceCount", args.MinInstances),
                ("volumeSizeInGb", serving.VolumeSizeGb),
                ("containerStartupHealthCheckTimeoutInSeconds", serving.StartupTimeoutSeconds),
                ("modelDataDownloadTimeoutInSeconds", serving.ModelDownloadTimeoutSeconds))))));

        // Creating an endpoint starts instances, downloads the model and compiles it for Neuron: up to the
        // start-up and download timeouts above (an hour each at most) plus provisioning, past the provider's 30 minutes.
        var endpoint = Add("endpoint", "aws:sagemaker/endpoint:Endpoint", Map(
                ("name", _endpointName),
                ("endpointConfigName", Ref(endpointConfig.Name, "name"))),
            new ResourceOptions { CustomTimeouts = new CustomTimeouts(Create: "90m", Update: "90m", Delete: "30m") });

        var perInstancePerMinute = InvocationTarget.PerInstancePerMinute(fleet.TokensPerSecondPerInstance, fleet.TargetUtilisation, args.TokensPerRequest);
        var scaling = new FleetScaling(this, new FleetScalingArgs(
            Fleet: new ScalableFleet(
                ServiceNamespace: "sagemaker",
                ResourceId: Interpolate("endpoint/", Ref(endpoint.Name, "name"), $"/variant/{VariantName}"),
                ScalableDimension: FleetScaling.ScalableDimension,
                TrackingPolicyName: "fleet-invocations-per-instance",
                TrackingMetric: Map(("predefinedMetricType", "SageMakerVariantInvocationsPerInstance")),
                Latency: new LatencySignal("AWS/SageMaker", "ModelLatency", Map(("EndpointName", _endpointName), ("VariantName", VariantName)), ms => ms * 1000m)),
            MinInstances: args.MinInstances,
            MaxInstances: args.MaxInstances,
            InvocationsPerInstancePerMinute: perInstancePerMinute,
            ScaleOutLatencyMs: serving.ScaleOutLatencyMs,
            Schedules: serving.Schedules));

        Outputs = new SageMakerFleetOutputs(endpoint, _endpointName, image, scaling.Outputs, perInstancePerMinute);
        if (plan.MinInstances < args.MinInstances)
        {
            Context.Notes.Add($"the fleet keeps at least {args.MinInstances} instance(s) although the plan sized {plan.MinInstances}: a SageMaker real-time endpoint cannot scale to zero");
        }

        Context.Notes.Add($"fleet: each {fleet.InstanceType} instance has a {serving.VolumeSizeGb} GB volume, billed as SageMaker ML storage while it runs: "
            + "in the forecast's fleet line, not in the whole decision against Bedrock");
    }

    public SageMakerFleetOutputs Outputs { get; }

    public IReadOnlyList<Value> RouterStatements =>
        // SageMaker writes endpoint ARNs in lower case whatever the name's case; built from the name, so the router
        // does not wait for the endpoint (it falls back to Bedrock until the endpoint answers). InvokeEndpoint for whole
        // answers, InvokeEndpointWithResponseStream for streamed ones (stream: true), on that one endpoint.
        [Allow("InvokeFleetEndpoint", ["sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream"], [Context.Arn("sagemaker", $"endpoint/{_endpointName.ToLowerInvariant()}")])];

    public IReadOnlyList<AppRouteHandle> AppHandles => [];

    public RouterNetworkNeeds Network => RouterNetworkNeeds.None;

    public string? InvokeId(RouteSettings route) => route.IsBedrock ? null : _endpointName;

    public FleetTransport? Transport(RouteSettings route) => route.IsBedrock ? null : new FleetTransport(FleetTransportKind.SageMakerEndpoint);

    /// <summary>
    /// The container's settings (optimum-neuron TGI): the model, the NeuronCores to shard it over, and the compiled
    /// shapes, which must hold the fleet routes' largest request.
    /// </summary>
    private MapValue Environment(SageMakerFleetArgs args, FleetServingSettings serving)
    {
        var entries = NeuronServingEnvironment.For(args.Fleet, serving, args.FleetRoutes, ModelDirectory)
            .Select(e => (e.Name, (Value?)e.Value)).ToList();
        if (serving.HuggingFaceModelId is not null)
        {
            // A secret config key that Pulumi resolves at deploy time: the program text holds only its name.
            entries.Add(("HF_TOKEN", Context.Program.AddConfig(new ConfigDeclaration(StackSettingsReader.HuggingFaceTokenKey, "string", Secret: true))));
        }

        return Map([.. entries]);
    }

    /// <summary>Pull exactly the serving image, read exactly the model prefix, write exactly this endpoint's logs.</summary>
    private List<Value> ExecutionStatements(string image, string? modelDataUrl)
    {
        var ecr = Regex.Match(image, NeuronServingImages.EcrImagePattern);
        var (registry, imageRegion, repository) = (ecr.Groups[1].Value, ecr.Groups[2].Value, ecr.Groups[3].Value);
        var partition = Partitions.Of(imageRegion);
        var statements = new List<Value>
        {
            Allow("PullServingImage", ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                [$"arn:{partition}:ecr:{imageRegion}:{registry}:repository/{repository}"]),
            // ECR's login has no resource to scope to.
            Allow("GetRegistryLogin", ["ecr:GetAuthorizationToken"], ["*"]),
            Allow("WriteEndpointLogs", ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            [
                Context.Arn("logs", $"log-group:/aws/sagemaker/Endpoints/{_endpointName}"),
                Context.Arn("logs", $"log-group:/aws/sagemaker/Endpoints/{_endpointName}:*"),
            ]),
        };
        if (modelDataUrl is not null)
        {
            var path = modelDataUrl["s3://".Length..];
            var bucket = path[..path.IndexOf('/', StringComparison.Ordinal)];
            var prefix = path[(bucket.Length + 1)..];
            statements.Add(Allow("ReadModelArtifacts", ["s3:GetObject"], [$"arn:{Context.Partition}:s3:::{bucket}/{prefix}*"]));
            statements.Add(Allow("ListModelArtifacts", ["s3:ListBucket"], [$"arn:{Context.Partition}:s3:::{bucket}"],
                Map(("StringLike", Map(("s3:prefix", $"{prefix}*"))))));
        }

        return statements;
    }
}

/// <param name="Plan">The plan's fleet: its sized and configured bounds.</param>
/// <param name="MinInstances">The scaling minimum and initial count: the plan's baseline, at least one.</param>
/// <param name="MaxInstances">The scaling maximum: the plan's burst.</param>
/// <param name="FleetRoutes">The routes served by the fleet: the compiled shapes must hold their largest request.</param>
/// <param name="TokensPerRequest">Input plus output tokens of the plan's average request, for the invocations target.</param>
internal sealed record SageMakerFleetArgs(FleetSettings Fleet, FleetPlan Plan, int MinInstances, int MaxInstances, IReadOnlyList<RouteSettings> FleetRoutes, decimal TokensPerRequest)
{
    /// <summary>The fleet a cost plan sized, bounded by config (the plan already lets config win), at least one instance.</summary>
    public static SageMakerFleetArgs From(StackSettings settings, CostPlan costs)
    {
        var fleet = settings.Fleet ?? throw new ArgumentException("a deployed fleet has settings", nameof(settings));
        var plan = costs.Fleet ?? throw new ArgumentException("a deployed fleet has a plan", nameof(costs));
        var min = Math.Max(1, plan.MinInstances);
        return new SageMakerFleetArgs(fleet, plan, min, Math.Max(min, plan.MaxInstances),
            settings.Routes.Where(r => !r.IsBedrock).ToList(), costs.Demand.TokensPerRequest);
    }
}

/// <param name="Endpoint">The endpoint resource.</param>
/// <param name="EndpointName">Its fixed name: the router configuration's invoke id for fleet routes.</param>
internal sealed record SageMakerFleetOutputs(ReferenceValue Endpoint, string EndpointName, string Image, FleetScalingOutputs Scaling, int InvocationsPerInstancePerMinute);
