using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Settings;

/// <summary>An environment stack's settings, typed and validated. Built only by <see cref="StackSettingsReader"/>.</summary>
/// <param name="AccountStack">The account stack (same project) that owns this account and region's singletons; deployed first.</param>
internal sealed record StackSettings(
    string Stack,
    string Source,
    string Region,
    string AccountStack,
    RouterSettings Router,
    GatewaySettings Gateway,
    IReadOnlyList<RouteSettings> Routes,
    AutoRoutingSettings AutoRouting,
    IReadOnlyList<AppSettings> Apps,
    FleetSettings? Fleet,
    IReadOnlyDictionary<string, string> Tags,
    PricingSettings Pricing,
    DemandSettings Demand,
    AlertSettings Alerts,
    AnalyticsSettings Analytics)
{
    public RouteSettings Route(string name) => Routes.First(r => r.Name == name);
}

/// <summary>The self-hosted Inferentia2 fleet, sized and priced by the plan; a stack without one has none (null).</summary>
/// <param name="Platform"><c>sagemaker</c> (ml.inf2.*) or <c>ecs</c> (inf2.* on EC2); <c>platform: none</c> in config means no fleet.</param>
/// <param name="EndpointName">The SageMaker endpoint's name, or on ECS the cluster's and service's: the router's invoke id for fleet routes.</param>
/// <param name="Serving">How the fleet is deployed (model source, image, timeouts, scaling).</param>
/// <param name="Network">On ECS: the existing VPC and private subnets the fleet and the router run in; null on SageMaker.</param>
internal sealed record FleetSettings(
    FleetPlatform Platform,
    string InstanceType,
    string ModelName,
    string EndpointName,
    int TokensPerSecondPerInstance,
    decimal TargetUtilisation,
    int? BaselineInstances,
    int? MaxInstances,
    FleetServingSettings Serving,
    FleetNetworkSettings? Network = null)
{
    public const decimal DefaultTargetUtilisation = 0.7m;
}

/// <summary>
/// How the fleet's model is served and scaled (<c>llm-cost:fleet</c>). Exactly one model source:
/// <paramref name="HuggingFaceModelId"/> (compiled for Neuron when the endpoint starts; a gated model needs the
/// secret <c>llm-cost:huggingFaceToken</c>) or <paramref name="ModelDataUrl"/> (precompiled Neuron artifacts).
/// </summary>
/// <param name="HuggingFaceModelId">e.g. <c>meta-llama/Llama-3.1-8B-Instruct</c>.</param>
/// <param name="ModelDataUrl">An S3 prefix (<c>s3://bucket/prefix/</c>) holding precompiled Neuron artifacts, read uncompressed.</param>
/// <param name="Image">The serving image instead of the embedded table's (an ECR image URI); default: the table's image for the region.</param>
/// <param name="VolumeSizeGb">Storage per instance for the model and its compiled artifacts (default <see cref="DefaultVolumeSizeGb"/>).</param>
/// <param name="StartupTimeoutSeconds">How long the container may take to pass its health check, Neuron compilation included (default <see cref="DefaultStartupTimeoutSeconds"/>).</param>
/// <param name="ModelDownloadTimeoutSeconds">How long the model download may take (default <see cref="DefaultModelDownloadTimeoutSeconds"/>).</param>
/// <param name="BatchSize">Requests the compiled model serves at once (default <see cref="DefaultBatchSize"/>).</param>
/// <param name="ScaleOutLatencyMs">Average model latency above which step scaling adds instances (default <see cref="DefaultScaleOutLatencyMs"/>: before slow answers turn into time-outs and fallbacks).</param>
/// <param name="Schedules">Scheduled bounds (a business-hours baseline); default none.</param>
internal sealed record FleetServingSettings(
    string? HuggingFaceModelId,
    string? ModelDataUrl,
    string? Image,
    int VolumeSizeGb,
    int StartupTimeoutSeconds,
    int ModelDownloadTimeoutSeconds,
    int BatchSize,
    int ScaleOutLatencyMs,
    IReadOnlyList<FleetSchedule> Schedules)
{
    /// <summary>An 8B model's weights (16 GB in bf16) plus its Neuron compilation cache, with room to spare.</summary>
    public const int DefaultVolumeSizeGb = 128;

    /// <summary>Compiling an 8B model for Neuron at start takes 15 to 25 minutes; SageMaker allows at most 3600 s.</summary>
    public const int DefaultStartupTimeoutSeconds = 3600;

    public const int DefaultModelDownloadTimeoutSeconds = 3600;

    public const int DefaultBatchSize = 4;

    public const int DefaultScaleOutLatencyMs = 15_000;
}

/// <summary>Where a fleet on ECS runs (<c>llm-cost:fleet.vpcId</c>, <c>subnetIds</c>, <c>bedrockEndpoint</c>): an existing VPC, not made by this stack.</summary>
/// <param name="SubnetIds">Private subnets in at least two Availability Zones (the load balancer needs two); the instances, tasks, load balancer, router and Bedrock endpoint use them all.</param>
/// <param name="BedrockEndpoint">How the router, once in the VPC, reaches Bedrock: <c>create</c> a <c>bedrock-runtime</c> interface endpoint, or rely on an <c>existing</c> route (a NAT gateway or an endpoint made elsewhere).</param>
internal sealed record FleetNetworkSettings(string VpcId, IReadOnlyList<string> SubnetIds, BedrockEndpointMode BedrockEndpoint);

/// <summary>A scheduled change of the fleet's bounds (Application Auto Scaling scheduled action).</summary>
/// <param name="Schedule"><c>cron(...)</c>, <c>rate(...)</c> or <c>at(...)</c>, as Application Auto Scaling spells it.</param>
/// <param name="Timezone">IANA time zone of the schedule (default UTC).</param>
internal sealed record FleetSchedule(string Name, string Schedule, string Timezone, int MinInstances, int MaxInstances);
