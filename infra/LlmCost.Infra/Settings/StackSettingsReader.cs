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
        var fleet = FleetSettingsReader.Read(Node("fleet"), config.Stack, region);
        var routes = RouteSettingsReader.Read(source, config.Values.GetValueOrDefault($"{Ns}:routes"), fleet);
        var auto = AutoRoutingSettingsReader.Read(Node("autoRouting"), routes);
        var apps = AppSettingsReader.Read(source, config.Values.GetValueOrDefault($"{Ns}:apps"));
        var tags = ReadTags(source, config.Values.GetValueOrDefault($"{Ns}:tags"));

        var pricing = PricingSettingsReader.Read(Node("pricing"));
        var demand = DemandSettingsReader.Read(Node("demand"), routes, auto);
        fleet = fleet is null ? null : FleetSettingsReader.WithThroughputAt(fleet, demand.InputTokensPerRequest, demand.OutputTokensPerRequest);
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
