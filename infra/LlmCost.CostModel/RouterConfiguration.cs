using LlmCost.CostModel.Vocabulary;

namespace LlmCost.CostModel;

/// <summary>
/// The router's whole configuration: one JSON document that the program synthesizes into the function's
/// environment (<see cref="EnvironmentVariable"/>) and the function reads at start. Version it when a field's
/// meaning changes. Version 2: closed values are enums, a fleet route names its <see cref="FleetTransport"/>, and
/// values known only at deploy time are <see cref="DeployValue"/>s.
/// </summary>
public sealed record RouterConfiguration(
    int SchemaVersion,
    string Stack,
    string Region,
    bool LogPrompts,
    RequestLimits Limits,
    IReadOnlyList<RouteConfiguration> Routes,
    AutoRouting Auto,
    IReadOnlyList<AppConfiguration> Apps,
    PriceProvenance Prices,
    BudgetStoreConfiguration? Budgets = null)
{
    public const string EnvironmentVariable = "LLM_COST_ROUTER_CONFIG";
    public const int CurrentSchemaVersion = 2;

    /// <summary>Lambda allows 4 KB for all environment variables together.</summary>
    public const int MaxEnvironmentBytes = 4096;
}

/// <summary>Request shape limits the router enforces (the gateway enforces the same before the Lambda runs).</summary>
public sealed record RequestLimits(int MaxMessages, int MaxMessageChars);

/// <summary>One route: a model on a backend with its limits and prices.</summary>
/// <param name="InvokeId">What the backend is called with: Bedrock model or inference-profile ID; for the fleet, its name (the SageMaker endpoint, or the ECS service), which fleet health and records name; an OpenAI-compatible fleet is sent the route's modelId.</param>
/// <param name="Transport">How a fleet route is reached; none for Bedrock routes.</param>
public sealed record RouteConfiguration(
    string Name,
    Backend Backend,
    string ModelId,
    string InvokeId,
    int MaxInputTokens,
    int MaxOutputTokens,
    bool TrimInput,
    string? Fallback,
    TokenPrices Prices,
    FleetTransport? Transport = null);

/// <summary>How the router reaches a fleet route.</summary>
/// <param name="Url">For <see cref="FleetTransportKind.OpenAiHttp"/>: the service's base URL (<c>http://{internal load balancer}</c>); none for a SageMaker endpoint, which the route's invokeId names.</param>
public sealed record FleetTransport(FleetTransportKind Kind, DeployValue? Url = null);

/// <summary>Tiers for <c>model: "auto"</c>, ascending by prompt-complexity score.</summary>
public sealed record AutoRouting(IReadOnlyList<AutoRoutingTier> Tiers, bool AllowExplicitModels);

public sealed record AutoRoutingTier(string Route, decimal MaxScore);

/// <summary>A consuming app: the OAuth client it authenticates as, and its own inference profiles per route.</summary>
/// <param name="MonthlyBudgetUsd">Enforced by the router when set (needs <see cref="RouterConfiguration.Budgets"/>); none when null.</param>
public sealed record AppConfiguration(string Name, DeployValue ClientId, IReadOnlyList<AppInferenceProfile> Profiles, decimal? MonthlyBudgetUsd = null);

/// <summary>
/// Where the router keeps each app's month-to-date spend: a DynamoDB table (partition key <c>pk</c>, a string; TTL
/// attribute <c>expiresAt</c>), and what to do when it cannot be reached.
/// </summary>
/// <param name="WhenUnavailable"><c>refuse</c> (503, nothing spent unchecked) or <c>allow</c> (serve, and the record says the budget was not checked).</param>
public sealed record BudgetStoreConfiguration(string TableName, string WhenUnavailable)
{
    public const string Refuse = "refuse";
    public const string Allow = "allow";
    public const string PartitionKey = "pk";
    public const string TtlAttribute = "expiresAt";
}

public sealed record AppInferenceProfile(string Route, DeployValue Arn);

/// <summary>Where the prices came from, and as of when: travels with every figure.</summary>
public sealed record PriceProvenance(PriceOriginKind Source, string AsOf);
