namespace LlmCost.CostModel;

/// <summary>One CloudWatch metric the router's usage records publish (as embedded metric format).</summary>
/// <param name="Name">The metric name, which is also the record field it is read from.</param>
/// <param name="Unit">The CloudWatch unit.</param>
public sealed record UsageMetric(string Name, string Unit);

/// <summary>
/// The metrics every usage record publishes through CloudWatch's embedded metric format: the one home of the
/// namespace, the metric names with their units and the dimension sets. The router's writer emits exactly these;
/// the program's alarms and dashboard read exactly these.
/// </summary>
public static class UsageMetrics
{
    public const string Namespace = "LlmCost";

    public const string StackDimension = "stack";
    public const string ModelDimension = "model";
    public const string RouteDimension = "route";
    public const string AppDimension = "app";

    public static readonly UsageMetric CostUsd = new("costUsd", "None");
    public static readonly UsageMetric EstimatedCostUsd = new("estimatedCostUsd", "None");
    public static readonly UsageMetric InputTokens = new("inputTokens", "Count");
    public static readonly UsageMetric OutputTokens = new("outputTokens", "Count");
    public static readonly UsageMetric CacheReadTokens = new("cacheReadTokens", "Count");
    public static readonly UsageMetric CacheWriteTokens = new("cacheWriteTokens", "Count");
    public static readonly UsageMetric LatencyMs = new("latencyMs", "Milliseconds");
    public static readonly UsageMetric Requests = new("requests", "Count");

    public static IReadOnlyList<UsageMetric> All { get; } =
        [CostUsd, EstimatedCostUsd, InputTokens, OutputTokens, CacheReadTokens, CacheWriteTokens, LatencyMs, Requests];

    /// <summary>
    /// Each set publishes every metric once more. The stack alone gives the totals alarms need (an alarm cannot
    /// sum over a dimension); stack with model, route or app gives the breakdowns. Values are bounded by the
    /// configuration, never client text.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> DimensionSets { get; } =
    [
        [StackDimension],
        [StackDimension, ModelDimension],
        [StackDimension, RouteDimension],
        [StackDimension, AppDimension],
    ];
}
