using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Settings;

/// <summary>An environment stack's settings, typed and validated. Built only by <see cref="StackSettingsReader"/>.</summary>
/// <param name="AccountStack">The account stack (same project) that owns this account and region's singletons; deployed first.</param>
public sealed record StackSettings(
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

/// <summary>The cost-router Lambda.</summary>
/// <param name="Architecture"><c>arm64</c> (default <see cref="DefaultArchitecture"/>: about 20% cheaper per GB-second) or <c>x86_64</c>.</param>
/// <param name="MemoryMb">Default 512: the router is I/O bound; more memory buys CPU for tokenizing long prompts.</param>
/// <param name="TimeoutSeconds">Default and maximum 28: API Gateway waits 29 s, a cold start's init included, so the router must answer (even with a 504) before that; longer would only bill for answers nobody receives.</param>
/// <param name="ReservedConcurrency">Hard cap on parallel requests, and so on the spend rate (default 10; <c>none</c>: no reservation). Lambda refuses a reservation that leaves the account fewer unreserved executions than its minimum (100 at the default limit of 1,000; new accounts often have a limit of 10).</param>
/// <param name="LogRetentionDays">Default 30 days.</param>
/// <param name="LogPrompts">Default false: prompts and completions never reach the logs.</param>
/// <param name="BudgetStoreUnavailable">When the budget table cannot be reached: <c>refuse</c> (default: a 503, no spend goes unchecked) or <c>allow</c> (serve, and the record says the budget was not checked).</param>
public sealed record RouterSettings(
    LambdaArchitecture Architecture,
    int MemoryMb,
    int TimeoutSeconds,
    int? ReservedConcurrency,
    int LogRetentionDays,
    bool LogPrompts,
    string BudgetStoreUnavailable)
{
    public const LambdaArchitecture DefaultArchitecture = LambdaArchitecture.Arm64;
}

/// <summary>The API Gateway REST API in front of the router.</summary>
/// <param name="AuthDomainPrefix">Cognito hosted domain prefix for the OAuth token endpoint; globally unique.</param>
/// <param name="ThrottleRatePerSecond">Steady requests per second across the stage (default 10).</param>
/// <param name="ThrottleBurst">Burst bucket (default 2 x the rate).</param>
/// <param name="MaxMessages">Most messages a request may carry; larger requests are rejected by the gateway before the Lambda runs (default 64).</param>
/// <param name="MaxMessageChars">Longest message text, in characters (default 100000).</param>
/// <param name="AccessLogRetentionDays">Default 30 days.</param>
/// <param name="TokenValidityMinutes">Lifetime of an app's access token (default 60).</param>
public sealed record GatewaySettings(
    string AuthDomainPrefix,
    int ThrottleRatePerSecond,
    int ThrottleBurst,
    int MaxMessages,
    int MaxMessageChars,
    int AccessLogRetentionDays,
    int TokenValidityMinutes);

/// <summary>A route the router can take: one model on one backend, with its limits.</summary>
/// <param name="Name">What clients may ask for as <c>model</c>, and what records and metrics name.</param>
/// <param name="Backend"><c>bedrock</c> or <c>fleet</c>.</param>
/// <param name="Model">Bedrock model ID, or the fleet's model name.</param>
/// <param name="CrossRegion">Bedrock cross-region inference profile geography (<c>us</c>, <c>eu</c>, <c>apac</c>, <c>global</c>); default none (in-region).</param>
/// <param name="MaxInputTokens">Larger prompts are rejected with 413, or trimmed where <paramref name="TrimInput"/>.</param>
/// <param name="MaxOutputTokens">Every request's output is capped here.</param>
/// <param name="TrimInput">Trim whitespace and duplicate context before rejecting (default false).</param>
/// <param name="Fallback">Route to take when this one fails or is unhealthy (default none).</param>
public sealed record RouteSettings(
    string Name,
    Backend Backend,
    string Model,
    string? CrossRegion,
    int MaxInputTokens,
    int MaxOutputTokens,
    bool TrimInput,
    string? Fallback)
{
    public bool IsBedrock => Backend == Backend.Bedrock;

    /// <summary>The ID the router sends to Bedrock: the model, or its cross-region profile.</summary>
    public string InvokeModelId => CrossRegion is null ? Model : $"{CrossRegion}.{Model}";
}

/// <summary><c>model: "auto"</c>: tiers by prompt-complexity score (0 to 1), ascending.</summary>
public sealed record AutoRoutingSettings(IReadOnlyList<AutoTier> Tiers, bool AllowExplicitModels);

/// <summary>Requests scoring at most <paramref name="MaxScore"/> take <paramref name="Route"/>; the last tier takes the rest.</summary>
public sealed record AutoTier(string Route, decimal MaxScore);

/// <summary>A consuming application: its own OAuth client, and optionally its own inference profiles for cost allocation.</summary>
public sealed record AppSettings(string Name, bool InferenceProfiles, decimal? MonthlyBudgetUsd);

/// <summary>The self-hosted Inferentia2 fleet, sized and priced by the plan; a stack without one has none (null).</summary>
/// <param name="Platform"><c>sagemaker</c> (ml.inf2.*) or <c>ecs</c> (inf2.* on EC2); <c>platform: none</c> in config means no fleet.</param>
/// <param name="Serving">How the fleet is deployed (model source, image, timeouts, scaling).</param>
public sealed record FleetSettings(
    FleetPlatform Platform,
    string InstanceType,
    string ModelName,
    string EndpointName,
    int TokensPerSecondPerInstance,
    decimal TargetUtilisation,
    int? BaselineInstances,
    int? MaxInstances,
    FleetServingSettings Serving)
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
/// <param name="ScaleOutLatencyMs">Average model latency above which step scaling adds instances (default <see cref="DefaultScaleOutLatencyMs"/>: before the router's 28 s timeout turns slow answers into fallbacks).</param>
/// <param name="Schedules">Scheduled bounds (a business-hours baseline); default none.</param>
public sealed record FleetServingSettings(
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

/// <summary>A scheduled change of the fleet's bounds (Application Auto Scaling scheduled action).</summary>
/// <param name="Schedule"><c>cron(...)</c>, <c>rate(...)</c> or <c>at(...)</c>, as Application Auto Scaling spells it.</param>
/// <param name="Timezone">IANA time zone of the schedule (default UTC).</param>
public sealed record FleetSchedule(string Name, string Schedule, string Timezone, int MinInstances, int MaxInstances);

/// <summary>Where plan-time prices come from.</summary>
/// <param name="Source"><c>live</c> (default: Price List and Savings Plans APIs, falling back to the cache, then the snapshot, and saying so), <c>snapshot</c>, or <c>live-required</c> (fail instead of falling back).</param>
/// <param name="CacheHours">How long fetched prices are reused before asking AWS again (default 24).</param>
/// <param name="DeadlineSeconds">Total time the live fetch may take, retries included (default 20).</param>
public sealed record PricingSettings(PricingSource Source, int CacheHours, int DeadlineSeconds)
{
    public const PricingSource DefaultSource = PricingSource.Live;
}

/// <summary>
/// The traffic the stack is sized and forecast for. Hour-of-week profile (168 values from Monday 00:00 UTC), or
/// a baseline with a daily peak window, or a request history file (CSV or JSON lines).
/// </summary>
/// <param name="RouteShares">Fraction of requests per route (default: all on the first auto-routing tier).</param>
/// <param name="Uncertainty">Coefficient of variation of monthly demand, for the P90 forecast (default 0.25).</param>
/// <param name="MeanLatencySeconds">Average time the router waits on a backend: Lambda bills it (default 2).</param>
public sealed record DemandSettings(
    IReadOnlyList<decimal>? HourlyRequestsPerSecond,
    decimal BaselineRequestsPerSecond,
    decimal PeakRequestsPerSecond,
    int PeakStartHour,
    int PeakEndHour,
    bool PeakWeekdaysOnly,
    int InputTokensPerRequest,
    int OutputTokensPerRequest,
    IReadOnlyDictionary<string, decimal> RouteShares,
    decimal Uncertainty,
    decimal MeanLatencySeconds,
    string? HistoryFile);
