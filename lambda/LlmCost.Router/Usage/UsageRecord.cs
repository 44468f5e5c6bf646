using LlmCost.CostModel.Vocabulary;
namespace LlmCost.Router.Usage;

/// <summary>
/// The one record every request leaves, success or failure (schema <see cref="SchemaVersion"/>, documented in
/// lambda/README.md, read by the analytics table). Filled in as the request goes; written once by
/// <see cref="UsageRecordWriter"/>. Prompts and completions are kept only when the configuration asks (logPrompts).
/// </summary>
internal sealed class UsageRecord
{
    public const int SchemaVersion = LlmCost.CostModel.UsageRecordSchema.Version;
    public const string None = "none";

    public DateTimeOffset Timestamp { get; set; }

    public string Stack { get; set; } = "";

    /// <summary>API Gateway's request ID (what the access log has); the Lambda request ID is separate.</summary>
    public string RequestId { get; set; } = "";

    public string? LambdaRequestId { get; set; }

    public string? TraceId { get; set; }

    /// <summary>The app's configured name; <c>unknown</c> when the client ID matches no app, <c>none</c> without an authorizer.</summary>
    public string App { get; set; } = None;

    public string User { get; set; } = "";

    public string HttpMethod { get; set; } = "";

    public string Path { get; set; } = "";

    /// <summary>What the client asked for, clipped; may be any text, so it is never a metric dimension.</summary>
    public string? RequestedModel { get; set; }

    /// <summary>The route that served (or last tried); <c>none</c> when no route was chosen.</summary>
    public string Route { get; set; } = None;

    /// <summary>The chosen route's model ID; <c>none</c> when no route was chosen.</summary>
    public string Model { get; set; } = None;

    public string? Backend { get; set; }

    public string? Reason { get; set; }

    public double? ComplexityScore { get; set; }

    /// <summary>The route first chosen, when a fallback served instead.</summary>
    public string? FallbackFrom { get; set; }

    public int Attempts { get; set; }

    /// <summary>
    /// Each failed route in order, as <c>route:reason</c> (configured route names, reasons from
    /// <see cref="Backends.FailureReasons"/>): why a fallback served, or why the request failed. Bounded.
    /// </summary>
    public List<string> BackendFailures { get; } = [];

    public const int MaxBackendFailures = 8;

    public void AddBackendFailure(string route, string reason)
    {
        if (BackendFailures.Count < MaxBackendFailures)
        {
            BackendFailures.Add($"{route}:{reason}");
        }
    }

    public int Status { get; set; }

    /// <summary>ok, client_error, throttled, backend_error, timeout, router_error.</summary>
    public RequestOutcome Outcome { get; set; } = RequestOutcome.Ok;

    public string? ErrorCode { get; set; }

    public string? ErrorParam { get; set; }

    public string? ErrorMessage { get; set; }

    public int? CountedInputTokens { get; set; }

    public double? CalibrationRatio { get; set; }

    public int? EstimatedInputTokens { get; set; }

    public int? MaxOutputTokens { get; set; }

    /// <summary>Worst case before the call: estimated input plus the capped output, at the route's prices.</summary>
    public decimal EstimatedCostUsd { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public long CacheReadTokens { get; set; }

    public long CacheWriteTokens { get; set; }

    /// <summary>From the backend's reported usage at the route's prices; 0 when no backend answered.</summary>
    public decimal CostUsd { get; set; }

    public string? FinishReason { get; set; }

    /// <summary>How a stream was answered: <c>sse_whole</c> (server-sent events, sent together once the backend answered); null when not streamed.</summary>
    public string? Stream { get; set; }

    /// <summary>Streamed answers: milliseconds from the request's arrival to the first text delta sent to the client.</summary>
    public long? TimeToFirstTokenMs { get; set; }

    /// <summary>Streamed answers: true when the client (or the Runtime API in front of it) went away mid-stream.</summary>
    public bool? ClientGone { get; set; }

    /// <summary>
    /// Streamed answers: how the stream ended when it completed, the client went away or the router cut it at the cap;
    /// null when not streamed, or when a backend failure cut it (then <see cref="StreamFailureReason"/>).
    /// </summary>
    public StreamEnd? StreamEnd { get; set; }

    /// <summary>
    /// Streamed answers a backend failure cut after they began: the failure's reason (from <see cref="Backends.FailureReasons"/>),
    /// which the record's <c>streamEnd</c> carries in place of a <see cref="StreamEnd"/>.
    /// </summary>
    public string? StreamFailureReason { get; set; }

    /// <summary>True when the backend never reported usage (a cut stream): tokens and cost are the router's estimate.</summary>
    public bool? UsageEstimated { get; set; }

    public long LatencyMs { get; set; }

    public long? BackendLatencyMs { get; set; }

    public List<string> LimitHits { get; } = [];

    public string PriceSource { get; set; } = "";

    public string PriceAsOf { get; set; } = "";

    /// <summary>none, reserved, refused, refused_store_unavailable, unchecked_store_unavailable.</summary>
    public string? BudgetCheck { get; set; }

    /// <summary>The app's monthly budget, when it has one.</summary>
    public decimal? BudgetUsd { get; set; }

    /// <summary>What this request reserved against the budget (its worst case, topped up for a costlier fallback).</summary>
    public decimal? BudgetReservedUsd { get; set; }

    /// <summary>settled, released (no answer), failed (the reservation stays counted).</summary>
    public string? BudgetSettle { get; set; }

    /// <summary>The budget store's error code when it could not be used (bounded).</summary>
    public string? BudgetStoreError { get; set; }

    public string? Prompt { get; set; }

    public string? Completion { get; set; }
}
