using LlmCost.CostModel.Vocabulary;
namespace LlmCost.Infra.Settings;

/// <summary>Turns a stack's raw config into <see cref="StackSettings"/>, or stops with the first bad key.</summary>
public static class StackSettingsReader
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
    private const string NamePattern = "^(?=.{2,32}$)[a-z](?:-?[a-z0-9])+$";
    private const string NameMeaning = "2 to 32 lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen";

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

        var router = ReadRouter(Node("router"));
        var gateway = ReadGateway(Node("gateway"), config.Stack);
        var fleet = ReadFleet(Node("fleet"), config.Stack, region);
        var routes = ReadRoutes(source, config.Values.GetValueOrDefault($"{Ns}:routes"), fleet);
        var auto = ReadAutoRouting(Node("autoRouting"), routes);
        var apps = ReadApps(source, config.Values.GetValueOrDefault($"{Ns}:apps"));
        var tags = ReadTags(source, config.Values.GetValueOrDefault($"{Ns}:tags"));

        var pricing = ReadPricing(Node("pricing"));
        var demand = ReadDemand(Node("demand"), routes, auto);
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

    public static int Retention(ConfigNode node, string field)
    {
        var days = node.Int(field, 30, 1, 3653);
        return RetentionDays.Contains(days)
            ? days
            : throw node.Error(field, $"expected a CloudWatch Logs retention ({string.Join(", ", RetentionDays)}), got {days}");
    }

    private static RouterSettings ReadRouter(ConfigNode node)
    {
        var settings = new RouterSettings(
            Architecture: node.OneOf("architecture", RouterSettings.DefaultArchitecture, LambdaArchitectures.Vocabulary),
            MemoryMb: node.Int("memoryMb", 512, 128, 10240),
            TimeoutSeconds: node.Int("timeoutSeconds", CostModel.ApiSurface.MaxRouterTimeoutSeconds, 1, CostModel.ApiSurface.MaxRouterTimeoutSeconds),
            ReservedConcurrency: node.Raw("reservedConcurrency") is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var text) && text == "none"
                ? null
                : node.Raw("reservedConcurrency") is System.Text.Json.Nodes.JsonValue s && s.TryGetValue<string>(out var word) && !int.TryParse(word, out _)
                    ? throw node.Error("reservedConcurrency", $"expected an integer from 1 to 1000, or none (no reservation), got \"{word}\"")
                    : node.Int("reservedConcurrency", 10, 1, 1000),
            LogRetentionDays: Retention(node, "logRetentionDays"),
            LogPrompts: node.Bool("logPrompts", false),
            BudgetStoreUnavailable: node.OneOf("budgetStoreUnavailable", CostModel.BudgetStoreConfiguration.Refuse, CostModel.BudgetStoreConfiguration.Refuse, CostModel.BudgetStoreConfiguration.Allow));
        node.RejectUnknown();
        return settings;
    }

    private static GatewaySettings ReadGateway(ConfigNode node, string stack)
    {
        var rate = node.Int("throttleRatePerSecond", 10, 1, 10000);
        var settings = new GatewaySettings(
            AuthDomainPrefix: node.RequiredString("authDomainPrefix", "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
                "a Cognito domain prefix: lower-case letters, digits and hyphens, globally unique, e.g. acme-llm-cost-" + stack),
            ThrottleRatePerSecond: rate,
            ThrottleBurst: node.Int("throttleBurst", rate * 2, 1, 5000),
            MaxMessages: node.Int("maxMessages", 64, 1, 2048),
            MaxMessageChars: node.Int("maxMessageChars", 100_000, 1, 4_000_000),
            AccessLogRetentionDays: Retention(node, "accessLogRetentionDays"),
            TokenValidityMinutes: node.Int("tokenValidityMinutes", 60, 5, 1440));
        if (node.Has("manageAccountLogRole"))
        {
            throw node.Error("manageAccountLogRole", "API Gateway's CloudWatch role is one setting per account and region: "
                + "the account stack owns it (llm-cost:kind: account); name that stack in llm-cost:accountStack instead, see README \"Deploy\"");
        }

        foreach (var reserved in new[] { "aws", "amazon", "cognito" })
        {
            if (settings.AuthDomainPrefix.Contains(reserved, StringComparison.Ordinal))
            {
                throw node.Error("authDomainPrefix", $"must not contain \"{reserved}\" (Cognito rejects it), got \"{settings.AuthDomainPrefix}\"");
            }
        }

        node.RejectUnknown();
        return settings;
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
        if (platform == FleetPlatform.Ecs)
        {
            throw node.Error("platform", "ecs (inf2 on EC2) is not built yet in this version of llm-cost: use sagemaker, or none");
        }

        const string instancePattern = "^ml\\.inf2\\.(xlarge|8xlarge|24xlarge|48xlarge)$";
        const string instanceMeaning = "an Inferentia2 SageMaker instance type (ml.inf2.xlarge, ml.inf2.8xlarge, ml.inf2.24xlarge, ml.inf2.48xlarge)";
        int? baseline = node.Has("baselineInstances") ? node.Int("baselineInstances", 0, 1, 100) : null;
        var settings = new FleetSettings(
            Platform: platform,
            InstanceType: node.RequiredString("instanceType", instancePattern, instanceMeaning),
            ModelName: node.RequiredString("modelName", "^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$", "the served model's name, e.g. llama-3.1-8b-instruct"),
            EndpointName: node.String("endpointName", $"llm-cost-{stack}-fleet", "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", "a SageMaker endpoint name: letters, digits and hyphens, at most 63")!,
            TokensPerSecondPerInstance: node.RequiredInt("tokensPerSecondPerInstance", 1, 1_000_000),
            TargetUtilisation: node.Decimal("targetUtilisation", FleetSettings.DefaultTargetUtilisation, 0.1m, 1m),
            BaselineInstances: baseline,
            MaxInstances: node.Has("maxInstances") ? node.Int("maxInstances", 1, 1, 100) : null,
            Serving: ReadServing(node, region));
        if (settings.MaxInstances < settings.BaselineInstances)
        {
            throw node.Error("maxInstances", $"must be at least baselineInstances ({settings.BaselineInstances}), got {settings.MaxInstances}");
        }

        node.RejectUnknown();
        return settings;
    }

    private static FleetServingSettings ReadServing(ConfigNode node, string region)
    {
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

    private static PricingSettings ReadPricing(ConfigNode node)
    {
        var settings = new PricingSettings(
            Source: node.OneOf("source", PricingSettings.DefaultSource, PricingSources.Vocabulary),
            CacheHours: node.Int("cacheHours", 24, 0, 24 * 30),
            DeadlineSeconds: node.Int("deadlineSeconds", 20, 1, 300));
        node.RejectUnknown();
        return settings;
    }

    private static DemandSettings ReadDemand(ConfigNode node, IReadOnlyList<RouteSettings> routes, AutoRoutingSettings auto)
    {
        IReadOnlyList<decimal>? hourly = null;
        if (node.Raw("hourlyRequestsPerSecond") is { } raw)
        {
            hourly = raw is System.Text.Json.Nodes.JsonArray a && a.Count == 168
                && a.All(v => v is System.Text.Json.Nodes.JsonValue n && n.TryGetValue<decimal>(out var d) && d >= 0)
                ? a.Select(v => v!.GetValue<decimal>()).ToList()
                : throw node.Error("hourlyRequestsPerSecond", $"expected 168 non-negative numbers (one per hour of the week from Monday 00:00 UTC), got {raw.ToJsonString()[..Math.Min(60, raw.ToJsonString().Length)]}");
        }

        var baseline = node.Decimal("baselineRequestsPerSecond", 0.1m, 0m, 100_000m);
        var shares = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (node.Has("routeShares"))
        {
            var sharesNode = node.Child("routeShares");
            foreach (var route in routes)
            {
                if (sharesNode.Has(route.Name))
                {
                    shares[route.Name] = sharesNode.Decimal(route.Name, 0, 0, 1);
                }
            }

            sharesNode.RejectUnknown();
            var total = shares.Values.Sum();
            if (Math.Abs(total - 1m) > 0.001m)
            {
                throw node.Error("routeShares", $"shares must add up to 1, got {total}");
            }
        }
        else
        {
            shares[auto.Tiers[0].Route] = 1m;
        }

        var settings = new DemandSettings(
            HourlyRequestsPerSecond: hourly,
            BaselineRequestsPerSecond: baseline,
            PeakRequestsPerSecond: node.Decimal("peakRequestsPerSecond", baseline, baseline, 100_000m),
            PeakStartHour: node.Int("peakStartHour", 8, 0, 23),
            PeakEndHour: node.Int("peakEndHour", 20, 1, 24),
            PeakWeekdaysOnly: node.Bool("peakWeekdaysOnly", true),
            InputTokensPerRequest: node.Int("inputTokensPerRequest", 1000, 1, 2_000_000),
            OutputTokensPerRequest: node.Int("outputTokensPerRequest", 300, 1, 200_000),
            RouteShares: shares,
            Uncertainty: node.Decimal("uncertainty", 0.25m, 0m, 3m),
            MeanLatencySeconds: node.Decimal("meanLatencySeconds", 2m, 0.01m, 900m),
            HistoryFile: node.String("historyFile"));
        if (settings.PeakEndHour <= settings.PeakStartHour)
        {
            throw node.Error("peakEndHour", $"must be after peakStartHour ({settings.PeakStartHour}), got {settings.PeakEndHour}");
        }

        node.RejectUnknown();
        return settings;
    }

    private static IReadOnlyList<RouteSettings> ReadRoutes(string source, string? json, FleetSettings? fleet)
    {
        const string key = Ns + ":routes";
        var items = ListOfObjects(source, key, json);
        if (items.Count == 0)
        {
            throw new ConfigError(source, key, "is required: expected a list of routes, each {name, backend, model, maxInputTokens, maxOutputTokens}");
        }

        var routes = new List<RouteSettings>();
        foreach (var node in items)
        {
            var name = node.RequiredString("name", NamePattern, NameMeaning);
            if (name == "auto")
            {
                throw node.Error("name", "\"auto\" is reserved for automatic routing; choose another route name");
            }

            if (routes.Any(r => r.Name == name))
            {
                throw node.Error("name", $"route \"{name}\" is declared twice");
            }

            var backend = node.OneOf("backend", Backend.Bedrock, Backends.Vocabulary);
            var model = backend == Backend.Bedrock
                ? node.RequiredString("model", "^[a-z0-9-]+\\.[A-Za-z0-9._:-]+$", "a Bedrock model ID such as amazon.nova-lite-v1:0")
                : node.RequiredString("model", "^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$", "the fleet's model name");
            if (backend == Backend.Fleet && fleet is null)
            {
                throw node.Error("backend", $"route \"{name}\" uses the fleet, but the stack has none ({Ns}:fleet.platform)");
            }

            if (backend == Backend.Fleet && model != fleet!.ModelName)
            {
                throw node.Error("model", $"the fleet serves \"{fleet.ModelName}\" ({Ns}:fleet.modelName), got \"{model}\"");
            }

            string? crossRegion = null;
            if (node.Has("crossRegion"))
            {
                crossRegion = backend == Backend.Bedrock
                    ? node.OneOf("crossRegion", "us", "us", "eu", "apac", "global")
                    : throw node.Error("crossRegion", "applies to Bedrock routes only");
            }

            routes.Add(new RouteSettings(
                Name: name,
                Backend: backend,
                Model: model,
                CrossRegion: crossRegion,
                MaxInputTokens: node.RequiredInt("maxInputTokens", 1, 2_000_000),
                MaxOutputTokens: node.RequiredInt("maxOutputTokens", 1, 200_000),
                TrimInput: node.Bool("trimInput", false),
                Fallback: node.String("fallback")));
            node.RejectUnknown();
        }

        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            if (route.Fallback is null)
            {
                continue;
            }

            var where = $"{key}[{i}].fallback";
            if (routes.All(r => r.Name != route.Fallback))
            {
                throw new ConfigError(source, where, $"names no route; routes: {string.Join(", ", routes.Select(r => r.Name))}");
            }

            // Follow the chain: a cycle would bounce a failing request between routes until the deadline.
            var seen = new HashSet<string> { route.Name };
            for (var next = route.Fallback; next is not null; next = routes.First(r => r.Name == next).Fallback)
            {
                if (!seen.Add(next))
                {
                    throw new ConfigError(source, where, $"fallbacks form a cycle: {string.Join(" -> ", seen)} -> {next}");
                }
            }
        }

        return routes;
    }

    private static AutoRoutingSettings ReadAutoRouting(ConfigNode node, IReadOnlyList<RouteSettings> routes)
    {
        var tiers = new List<AutoTier>();
        foreach (var tier in node.Objects("tiers"))
        {
            var route = tier.RequiredString("route");
            if (routes.All(r => r.Name != route))
            {
                throw tier.Error("route", $"names no route; routes: {string.Join(", ", routes.Select(r => r.Name))}");
            }

            var maxScore = tier.Decimal("maxScore", 1m, 0m, 1m);
            if (tiers.Count > 0 && maxScore <= tiers[^1].MaxScore)
            {
                throw tier.Error("maxScore", $"tiers must rise: expected more than {tiers[^1].MaxScore}, got {maxScore}");
            }

            tiers.Add(new AutoTier(route, maxScore));
            tier.RejectUnknown();
        }

        if (tiers.Count == 0)
        {
            tiers.Add(new AutoTier(routes[0].Name, 1m));
        }
        else if (tiers[^1].MaxScore != 1m)
        {
            throw node.Error("tiers", $"the last tier must take every score up to 1, got maxScore {tiers[^1].MaxScore}");
        }

        var settings = new AutoRoutingSettings(tiers, node.Bool("allowExplicitModels", true));
        node.RejectUnknown();
        return settings;
    }

    private static IReadOnlyList<AppSettings> ReadApps(string source, string? json)
    {
        const string key = Ns + ":apps";
        var items = ListOfObjects(source, key, json);
        if (items.Count == 0)
        {
            throw new ConfigError(source, key, "is required: expected a list of consuming apps, each {name}; every caller authenticates as one of them");
        }

        var apps = new List<AppSettings>();
        foreach (var node in items)
        {
            var name = node.RequiredString("name", NamePattern, NameMeaning);
            if (apps.Any(a => a.Name == name))
            {
                throw node.Error("name", $"app \"{name}\" is declared twice");
            }

            decimal? budget = node.Has("monthlyBudgetUsd") ? node.Decimal("monthlyBudgetUsd", 0, 0.01m, 10_000_000m) : null;
            apps.Add(new AppSettings(name, node.Bool("inferenceProfiles", false), budget));
            node.RejectUnknown();
        }

        return apps;
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

    private static IReadOnlyList<ConfigNode> ListOfObjects(string source, string key, string? json)
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
