using LlmCost.CostModel.Vocabulary;
using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Settings;

/// <summary>The self-hosted Inferentia2 fleet, sized and priced by the plan; a stack without one has none (null).</summary>
/// <param name="Platform"><c>sagemaker</c> (ml.inf2.*) or <c>ecs</c> (inf2.* on EC2); <c>platform: none</c> in config means no fleet.</param>
/// <param name="EndpointName">The SageMaker endpoint's name, or on ECS the cluster's and service's: the router's invoke id for fleet routes.</param>
/// <param name="Serving">How the fleet is deployed (model source, image, timeouts, scaling).</param>
/// <param name="TokensPerSecondPerInstance">Input and output tokens a second one instance serves at full load: configured, or from <see cref="NeuronThroughput"/> at the stack's request shape (<see cref="Throughput"/> says which).</param>
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

    /// <summary>Where <see cref="TokensPerSecondPerInstance"/> came from; by default, the benchmark table when the config sets none.</summary>
    public FleetThroughput Throughput { get; init; } = FleetThroughput.Set;

    /// <summary>On ECS with a baseline of 0: the fleet stops when idle and starts on the next request (<see cref="Components.Fleet.ScaleToZero"/>).</summary>
    public bool ScalesToZero => Platform == FleetPlatform.Ecs && BaselineInstances == 0;

    /// <summary>Each name the served model goes by, the most precise first: the table matches any.</summary>
    public IEnumerable<string?> ModelNames => [Serving.HuggingFaceModelId, ModelName];
}

/// <summary>Where the fleet's throughput came from: the config (<see cref="Configured"/>) or <see cref="Benchmark"/>, converted at the stack's request shape.</summary>
/// <param name="Nearest">With a configured figure: a published benchmark of the model, on this size or another, to compare it with.</param>
/// <param name="Measured">How the configured figure was measured (<c>throughputEvidence</c>): it then stands on its own, and is not compared with the published ones.</param>
internal sealed record FleetThroughput(bool Configured, ThroughputBenchmark? Benchmark, ThroughputBenchmark? Nearest, string? Measured = null)
{
    public const string Key = "tokensPerSecondPerInstance";

    public const string EvidenceKey = "throughputEvidence";

    public static readonly FleetThroughput Set = new(true, null, null);
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

/// <summary>Reads <c>llm-cost:fleet</c>; stops at the first bad key, naming it.</summary>
internal static class FleetSettingsReader
{

    /// <summary>How config says "no fleet" (also the default); not a platform.</summary>
    public const string NoFleet = "none";

    public static FleetSettings? Read(ConfigNode node, string stack, string region)
    {
        if (node.String("platform", NoFleet) == NoFleet)
        {
            node.RejectUnknown();
            return null;
        }

        var platform = node.OneOf("platform", FleetPlatform.SageMaker, FleetPlatforms.Vocabulary);
        var (instancePattern, instanceMeaning) = platform == FleetPlatform.Ecs
            ? ("^inf2\\.(xlarge|8xlarge|24xlarge|48xlarge)$", "an Inferentia2 EC2 instance type (inf2.xlarge, inf2.8xlarge, inf2.24xlarge, inf2.48xlarge)")
            : ("^ml\\.inf2\\.(xlarge|8xlarge|24xlarge|48xlarge)$", "an Inferentia2 SageMaker instance type (ml.inf2.xlarge, ml.inf2.8xlarge, ml.inf2.24xlarge, ml.inf2.48xlarge)");
        // 0 lets a fleet on ECS scale to zero when idle (FleetScaling wakes it on the first request); a SageMaker
        // real-time endpoint keeps at least one instance.
        int? baseline = node.Has("baselineInstances") ? node.Int("baselineInstances", 0, 0, 100) : null;
        if (baseline == 0 && platform != FleetPlatform.Ecs)
        {
            throw node.Error("baselineInstances", $"must be at least 1 on platform {platform.Name()}: a SageMaker real-time endpoint keeps at least one instance; only platform ecs scales to zero when idle, got 0");
        }

        var settings = new FleetSettings(
            Platform: platform,
            InstanceType: node.RequiredString("instanceType", instancePattern, instanceMeaning),
            ModelName: node.RequiredString("modelName", "^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$", "the served model's name, e.g. llama-3.1-8b-instruct"),
            EndpointName: node.String("endpointName", $"llm-cost-{stack}-fleet", "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$",
                "a SageMaker endpoint (or ECS cluster and service) name: letters, digits and hyphens, at most 63")!,
            TokensPerSecondPerInstance: node.Has(FleetThroughput.Key) ? node.Int(FleetThroughput.Key, 0, 1, 1_000_000) : 0,
            TargetUtilisation: node.Decimal("targetUtilisation", FleetSettings.DefaultTargetUtilisation, 0.1m, 1m),
            BaselineInstances: baseline,
            MaxInstances: node.Has("maxInstances") ? node.Int("maxInstances", 1, 1, 100) : null,
            Serving: ReadServing(node, region, platform, scheduleMinimum: baseline == 0 ? 0 : 1),
            Network: platform == FleetPlatform.Ecs ? ReadNetwork(node) : null);
        if (platform != FleetPlatform.Ecs && FleetNetworkKeys.FirstOrDefault(node.Has) is { } ecsOnly)
        {
            throw node.Error(ecsOnly, $"is only for platform ecs (the fleet on EC2 in an existing VPC); a {platform.Name()} fleet needs no network settings");
        }

        if (settings.MaxInstances < settings.BaselineInstances)
        {
            throw node.Error("maxInstances", $"must be at least baselineInstances ({settings.BaselineInstances}), got {settings.MaxInstances}");
        }

        var throughput = ReadThroughput(node, settings);
        node.RejectUnknown();
        return settings with { Throughput = throughput };
    }

    /// <summary>
    /// The configured throughput, or the published benchmark of this model on this size (converted to the stack's
    /// request shape by <see cref="WithThroughputAt"/> once the demand is read); neither is an error naming the key.
    /// </summary>
    private static FleetThroughput ReadThroughput(ConfigNode node, FleetSettings fleet)
    {
        var sameSize = NeuronThroughput.For(fleet.ModelNames, fleet.InstanceType);
        var measured = node.String(FleetThroughput.EvidenceKey, null, "^.{10,500}$", "how the configured throughput was measured, 10 to 500 characters (tool, load, request shape, date)");
        if (node.Has(FleetThroughput.Key))
        {
            return new FleetThroughput(true, null, sameSize ?? NeuronThroughput.AnySize(fleet.ModelNames), measured);
        }

        if (measured is not null)
        {
            throw node.Error(FleetThroughput.EvidenceKey, $"describes a measured {FleetThroughput.Key}, which is not set");
        }

        return sameSize is not null
            ? new FleetThroughput(false, sameSize, null)
            : throw node.Error(FleetThroughput.Key,
                $"is required: the embedded benchmark table (as of {NeuronThroughput.AsOf}) has no published figure for {fleet.ModelName}"
                + $"{(fleet.Serving.HuggingFaceModelId is { } id ? $" ({id})" : "")} on {NeuronThroughput.Size(fleet.InstanceType)}; it covers "
                + string.Join(", ", NeuronThroughput.Table.Select(b => $"{b.Models[0]} on {b.InstanceSize}"))
                + "; set the input and output tokens a second one instance serves, measured under load");
    }

    /// <summary>A fleet whose throughput comes from the table, at the stack's mean request shape.</summary>
    public static FleetSettings WithThroughputAt(FleetSettings fleet, int inputTokensPerRequest, int outputTokensPerRequest) =>
        fleet.Throughput.Benchmark is { } benchmark
            ? fleet with { TokensPerSecondPerInstance = benchmark.TokensPerSecondAt(inputTokensPerRequest, outputTokensPerRequest) }
            : fleet;

    private static readonly string[] FleetNetworkKeys = ["vpcId", "subnetIds", "bedrockEndpoint"];

    /// <summary>The existing VPC a fleet on ECS runs in: required, since the stack makes no VPC of its own.</summary>
    private static FleetNetworkSettings ReadNetwork(ConfigNode node)
    {
        const string vpcMeaning = "the ID of the existing VPC the fleet and the router run in, vpc- and 8 or 17 hex digits";
        var vpcId = node.RequiredString("vpcId", "^vpc-([0-9a-f]{8}|[0-9a-f]{17})$", vpcMeaning);
        const string subnetsMeaning = "a list of at least 2 private subnet IDs in different Availability Zones of that VPC (subnet- and 8 or 17 hex digits): the internal load balancer needs two";
        var subnets = node.Raw("subnetIds") switch
        {
            null => throw node.Error("subnetIds", $"is required: expected {subnetsMeaning}"),
            System.Text.Json.Nodes.JsonArray list => list.Select(item => item is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var id)
                && System.Text.RegularExpressions.Regex.IsMatch(id, "^subnet-([0-9a-f]{8}|[0-9a-f]{17})$")
                    ? id : throw node.Error("subnetIds", $"expected {subnetsMeaning}, got {item?.ToJsonString() ?? "null"}")).ToList(),
            var other => throw node.Error("subnetIds", $"expected {subnetsMeaning}, got {other.ToJsonString()}"),
        };
        if (subnets.Distinct(StringComparer.Ordinal).Count() < 2 || subnets.Distinct(StringComparer.Ordinal).Count() != subnets.Count)
        {
            throw node.Error("subnetIds", $"expected {subnetsMeaning}, got {subnets.Count} ({string.Join(", ", subnets)})");
        }

        if (!node.Has("bedrockEndpoint"))
        {
            throw node.Error("bedrockEndpoint", $"is required for platform ecs: the router joins the VPC, and reaches Bedrock through a bedrock-runtime interface endpoint the stack creates (create) or a route the VPC already has, such as a NAT gateway (existing); expected {BedrockEndpointModes.Vocabulary.Choices}");
        }

        return new FleetNetworkSettings(vpcId, subnets, node.OneOf("bedrockEndpoint", BedrockEndpointMode.Create, BedrockEndpointModes.Vocabulary));
    }

    /// <param name="scheduleMinimum">The least minInstances a schedule may set: 0 for a fleet that scales to zero (a schedule's bounds hold until the next schedule changes them, so a closing schedule must be able to return to 0), else 1.</param>
    private static FleetServingSettings ReadServing(ConfigNode node, string region, FleetPlatform platform, int scheduleMinimum)
    {
        if (platform == FleetPlatform.Ecs && new[] { "modelDataUrl", "modelDownloadTimeoutSeconds" }.FirstOrDefault(node.Has) is { } sageMakerOnly)
        {
            throw node.Error(sageMakerOnly, "is only for platform sagemaker (SageMaker copies the artifacts from S3); on ecs the container downloads huggingFaceModelId itself when a task starts");
        }

        var modelId = node.String("huggingFaceModelId", null, "^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$", "a Hugging Face model ID such as meta-llama/Llama-3.1-8B-Instruct");
        var dataUrl = node.String("modelDataUrl", null, "^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/([A-Za-z0-9!_.*'()/-]+/)?$", "an S3 prefix of precompiled Neuron artifacts, s3://bucket/prefix/ (ending in /)");
        if ((modelId is null) == (dataUrl is null))
        {
            throw node.Error("huggingFaceModelId", "the fleet needs exactly one model source: huggingFaceModelId (compiled when the endpoint starts) or modelDataUrl (precompiled Neuron artifacts in S3)");
        }

        var image = node.String("image", null, Components.Fleet.NeuronServingImages.EcrImagePattern, "an ECR image URI, account.dkr.ecr.region.amazonaws.com/repository:tag");
        if (image is null && Components.Fleet.NeuronServingImages.For(region) is null)
        {
            throw new ConfigError(node.Source, "aws:region", $"no Neuron serving image is known for region {region} (table of {Components.Fleet.NeuronServingImages.AsOf}, from {Components.Fleet.NeuronServingImages.Source}): "
                + $"set {node.Key("image")} to the ECR image URI of a Neuron serving container in that region");
        }

        return new FleetServingSettings(
            HuggingFaceModelId: modelId,
            ModelDataUrl: dataUrl,
            Image: image,
            VolumeSizeGb: node.Int("volumeSizeGb", FleetServingSettings.DefaultVolumeSizeGb, 4, 512),
            StartupTimeoutSeconds: node.Int("startupTimeoutSeconds", FleetServingSettings.DefaultStartupTimeoutSeconds, 60, 3600),
            ModelDownloadTimeoutSeconds: node.Int("modelDownloadTimeoutSeconds", FleetServingSettings.DefaultModelDownloadTimeoutSeconds, 60, 3600),
            BatchSize: node.Int("batchSize", FleetServingSettings.DefaultBatchSize, 1, 64),
            ScaleOutLatencyMs: node.Int("scaleOutLatencyMs", FleetServingSettings.DefaultScaleOutLatencyMs, 100, 60_000),
            Schedules: node.Objects("schedules").Select(schedule => ReadSchedule(schedule, scheduleMinimum)).ToList());
    }

    private static FleetSchedule ReadSchedule(ConfigNode node, int minimum)
    {
        var schedule = new FleetSchedule(
            Name: node.RequiredString("name", StackSettingsReader.NamePattern, StackSettingsReader.NameMeaning),
            Schedule: node.RequiredString("schedule", @"^(cron\([^()]+\)|rate\([^()]+\)|at\([^()]+\))$", "cron(...), rate(...) or at(...), as Application Auto Scaling spells it, e.g. cron(0 8 ? * MON-FRI *)"),
            Timezone: node.String("timezone", "UTC", "^[A-Za-z][A-Za-z0-9_+/-]{1,63}$", "an IANA time zone such as Europe/Berlin")!,
            MinInstances: node.RequiredInt("minInstances", minimum, 100),
            MaxInstances: node.RequiredInt("maxInstances", 1, 100));
        if (schedule.MaxInstances < schedule.MinInstances)
        {
            throw node.Error("maxInstances", $"must be at least minInstances ({schedule.MinInstances}), got {schedule.MaxInstances}");
        }

        node.RejectUnknown();
        return schedule;
    }
}
