using LlmCost.CostModel.Vocabulary;
namespace LlmCost.Infra.Settings;

/// <summary>Turns a stack's raw config into <see cref="StackSettings"/>, or stops with the first bad key.</summary>
internal static class StackSettingsReader
{
    public const string Ns = StackFileReader.ProjectNamespace;

    /// <summary>
    /// The Hugging Face access token for a gated model: a secret the program declares and Pulumi resolves at deploy
    /// time; this reader never reads its value, so it cannot be printed.
    /// </summary>
    public const string HuggingFaceTokenKey = "huggingFaceToken";

    private static readonly string[] KnownKeys = ["kind", "accountStack", "router", "gateway", "routes", "autoRouting", "apps", "fleet", "tags", "pricing", "demand", "alerts", "analytics", HuggingFaceTokenKey];

    /// <summary>CloudWatch Logs accepts only these retention periods.</summary>
    public static readonly int[] RetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    /// <summary>
    /// App and route names become parts of AWS names (inference profiles allow no two separators in a row) and of
    /// metric dimensions; a profile name longer than AWS's 64 characters is shortened with a hash.
    /// </summary>
    internal const string NamePattern = "^(?=.{2,32}$)[a-z](?:-?[a-z0-9])+$";
    internal const string NameMeaning = "2 to 32 lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen";

    /// <summary>The stack name is part of every physical name: Lambda, Cognito, Bedrock profiles, log groups.</summary>
    private const string StackNamePattern = "^(?=.{1,24}$)[a-z0-9](?:-?[a-z0-9])*$";

    public static StackSettings Read(StackConfig config)
    {
        var source = config.Source;
        if (StackKinds.Of(config) != StackKind.Environment)
        {
            throw new ConfigError(source, StackKinds.Key, "this is an account stack: it has no routes, prices or plan; `synth` prints its program");
        }

        foreach (var key in config.Values.Keys.Where(k => k.StartsWith(Ns + ":", StringComparison.Ordinal)))
        {
            if (!KnownKeys.Contains(key[(Ns.Length + 1)..], StringComparer.Ordinal))
            {
                throw new ConfigError(source, key, $"is not a known setting; known: {string.Join(", ", KnownKeys.Select(k => $"{Ns}:{k}"))}");
            }
        }

        var region = ReadRegion(config);
        CheckStackName(config);
        if (config.Values.ContainsKey($"{Ns}:bedrock"))
        {
            throw new ConfigError(source, $"{Ns}:bedrock", "Bedrock model invocation logging is one setting per account and region: "
                + $"set it in the account stack (llm-cost:kind: account) as {Ns}:bedrockInvocationLogging, see README \"Deploy\"");
        }

        var accountStack = config.Values.GetValueOrDefault(Account.AccountReference.ConfigKey) is { Length: > 0 } a
            ? (System.Text.RegularExpressions.Regex.IsMatch(a, "^[A-Za-z0-9_.-]{1,100}$") ? a
                : throw new ConfigError(source, Account.AccountReference.ConfigKey, $"expected a stack name such as account-prod, got \"{a}\""))
            : throw new ConfigError(source, Account.AccountReference.ConfigKey,
                "is required: the account stack (llm-cost:kind: account) that owns this account and region's API Gateway log role, e.g. account-prod; deploy it first");
        if (accountStack == config.Stack)
        {
            throw new ConfigError(source, Account.AccountReference.ConfigKey, $"names this stack itself; it must name the account stack (llm-cost:kind: account) deployed before it");
        }

        ConfigNode Node(string key) => ConfigNode.Parse(source, $"{Ns}:{key}", config.Values.GetValueOrDefault($"{Ns}:{key}"));

        var router = RouterSettingsReader.Read(Node("router"));
        var gateway = GatewaySettingsReader.Read(Node("gateway"), config.Stack);
        var fleet = ReadFleet(Node("fleet"), config.Stack, region);
        var routes = RouteSettingsReader.Read(source, config.Values.GetValueOrDefault($"{Ns}:routes"), fleet);
        var auto = AutoRoutingSettingsReader.Read(Node("autoRouting"), routes);
        var apps = AppSettingsReader.Read(source, config.Values.GetValueOrDefault($"{Ns}:apps"));
        var tags = ReadTags(source, config.Values.GetValueOrDefault($"{Ns}:tags"));

        var pricing = PricingSettingsReader.Read(Node("pricing"));
        var demand = DemandSettingsReader.Read(Node("demand"), routes, auto);
        var alerts = AlertSettingsReader.Read(config, region);
        var analytics = AnalyticsSettingsReader.Read(config);

        return new StackSettings(config.Stack, source, region, accountStack, router, gateway, routes, auto, apps, fleet, tags, pricing, demand, alerts, analytics);
    }

    public static string ReadRegion(StackConfig config)
    {
        if (!config.Values.TryGetValue("aws:region", out var region) || string.IsNullOrEmpty(region))
        {
            throw new ConfigError(config.Source, "aws:region", "is required: expected an AWS region such as us-east-1");
        }

        return System.Text.RegularExpressions.Regex.IsMatch(region, "^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$")
            ? region
            : throw new ConfigError(config.Source, "aws:region", $"expected an AWS region such as us-east-1, got \"{region}\"");
    }

    public static void CheckStackName(StackConfig config)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(config.Stack, StackNamePattern))
        {
            throw new ConfigError(config.Source, "stack name",
                $"\"{config.Stack}\" becomes part of AWS resource names: expected 1 to 24 lower-case letters, digits and single hyphens");
        }
    }

    public static int Retention(ConfigNode node, string field, int fallback)
    {
        var days = node.Int(field, fallback, 1, 3653);
        return RetentionDays.Contains(days)
            ? days
            : throw node.Error(field, $"expected a CloudWatch Logs retention ({string.Join(", ", RetentionDays)}), got {days}");
    }

    /// <summary>How config says "no fleet" (also the default); not a platform.</summary>
    public const string NoFleet = "none";

    private static FleetSettings? ReadFleet(ConfigNode node, string stack, string region)
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
        int? baseline = node.Has("baselineInstances") ? node.Int("baselineInstances", 0, 1, 100) : null;
        var settings = new FleetSettings(
            Platform: platform,
            InstanceType: node.RequiredString("instanceType", instancePattern, instanceMeaning),
            ModelName: node.RequiredString("modelName", "^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$", "the served model's name, e.g. llama-3.1-8b-instruct"),
            EndpointName: node.String("endpointName", $"llm-cost-{stack}-fleet", "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$",
                "a SageMaker endpoint (or ECS cluster and service) name: letters, digits and hyphens, at most 63")!,
            TokensPerSecondPerInstance: node.RequiredInt("tokensPerSecondPerInstance", 1, 1_000_000),
            TargetUtilisation: node.Decimal("targetUtilisation", FleetSettings.DefaultTargetUtilisation, 0.1m, 1m),
            BaselineInstances: baseline,
            MaxInstances: node.Has("maxInstances") ? node.Int("maxInstances", 1, 1, 100) : null,
            Serving: ReadServing(node, region, platform),
            Network: platform == FleetPlatform.Ecs ? ReadFleetNetwork(node) : null);
        if (platform != FleetPlatform.Ecs && FleetNetworkKeys.FirstOrDefault(node.Has) is { } ecsOnly)
        {
            throw node.Error(ecsOnly, $"is only for platform ecs (the fleet on EC2 in an existing VPC); a {platform.Name()} fleet needs no network settings");
        }

        if (settings.MaxInstances < settings.BaselineInstances)
        {
            throw node.Error("maxInstances", $"must be at least baselineInstances ({settings.BaselineInstances}), got {settings.MaxInstances}");
        }

        node.RejectUnknown();
        return settings;
    }

    private static readonly string[] FleetNetworkKeys = ["vpcId", "subnetIds", "bedrockEndpoint"];

    /// <summary>The existing VPC a fleet on ECS runs in: required, since the stack makes no VPC of its own.</summary>
    private static FleetNetworkSettings ReadFleetNetwork(ConfigNode node)
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

    private static FleetServingSettings ReadServing(ConfigNode node, string region, FleetPlatform platform)
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
            Schedules: node.Objects("schedules").Select(ReadSchedule).ToList());
    }

    private static FleetSchedule ReadSchedule(ConfigNode node)
    {
        var schedule = new FleetSchedule(
            Name: node.RequiredString("name", NamePattern, NameMeaning),
            Schedule: node.RequiredString("schedule", @"^(cron\([^()]+\)|rate\([^()]+\)|at\([^()]+\))$", "cron(...), rate(...) or at(...), as Application Auto Scaling spells it, e.g. cron(0 8 ? * MON-FRI *)"),
            Timezone: node.String("timezone", "UTC", "^[A-Za-z][A-Za-z0-9_+/-]{1,63}$", "an IANA time zone such as Europe/Berlin")!,
            MinInstances: node.RequiredInt("minInstances", 1, 100),
            MaxInstances: node.RequiredInt("maxInstances", 1, 100));
        if (schedule.MaxInstances < schedule.MinInstances)
        {
            throw node.Error("maxInstances", $"must be at least minInstances ({schedule.MinInstances}), got {schedule.MaxInstances}");
        }

        node.RejectUnknown();
        return schedule;
    }

    public static IReadOnlyDictionary<string, string> ReadTags(string source, string? json)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json is null)
        {
            return tags;
        }

        var holder = ConfigNode.Parse(source, Ns, $"{{\"tags\":{json}}}");
        foreach (var (tag, value) in holder.StringMap("tags"))
        {
            if (tag.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) || tag.Length > 128 || value.Length > 256)
            {
                throw new ConfigError(source, $"{Ns}:tags.{tag}", "tag keys are at most 128 characters and may not start with aws:, values at most 256");
            }

            tags[tag] = value;
        }

        return tags;
    }

    internal static IReadOnlyList<ConfigNode> ListOfObjects(string source, string key, string? json)
    {
        if (json is null)
        {
            return [];
        }

        var node = ConfigNode.ParseJson(source, key, json);
        if (node is not System.Text.Json.Nodes.JsonArray array)
        {
            throw new ConfigError(source, key, $"expected a list, got {node?.ToJsonString() ?? "null"}");
        }

        return array.Select((item, i) => ConfigNode.FromObject(source, $"{key}[{i}]", item)).ToList();
    }
}
