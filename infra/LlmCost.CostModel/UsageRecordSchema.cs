namespace LlmCost.CostModel;

/// <summary>The JSON type of a usage-record field, and so its Glue/Athena column type.</summary>
public enum UsageFieldType
{
    /// <summary>JSON string; Glue <c>string</c>.</summary>
    String,

    /// <summary>JSON whole number; Glue <c>bigint</c> (token counts can pass 2^31 in a sum, and one type keeps SQL simple).</summary>
    Integer,

    /// <summary>JSON number with a fraction (USD, ratios); Glue <c>double</c>.</summary>
    Number,

    /// <summary>JSON array of strings; Glue <c>array&lt;string&gt;</c>.</summary>
    StringList,

    /// <summary>JSON true or false; Glue <c>boolean</c>.</summary>
    Boolean,
}

/// <summary>One field of the usage record.</summary>
/// <param name="Name">The JSON name the router writes; Glue stores it lower-cased (Hive column names are case-insensitive).</param>
/// <param name="Nullable">True when the writer leaves the field out (absent, never JSON null) when it has no value.</param>
/// <param name="Meaning">What the value says, for the README and the Glue column comment.</param>
public sealed record UsageField(string Name, UsageFieldType Type, bool Nullable, string Meaning)
{
    /// <summary>The Glue/Athena column type.</summary>
    public string GlueType => Type switch
    {
        UsageFieldType.String => "string",
        UsageFieldType.Integer => "bigint",
        UsageFieldType.Number => "double",
        UsageFieldType.StringList => "array<string>",
        UsageFieldType.Boolean => "boolean",
        _ => throw new ArgumentOutOfRangeException(nameof(Type), Type, null),
    };

    /// <summary>The type as lambda/README.md's table writes it: <c>string</c>, <c>int?</c>, <c>number</c>, <c>string[]</c>.</summary>
    public string DocType => (Type switch
    {
        UsageFieldType.String => "string",
        UsageFieldType.Integer => "int",
        UsageFieldType.Number => "number",
        UsageFieldType.StringList => "string[]",
        UsageFieldType.Boolean => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(Type), Type, null),
    }) + (Nullable ? "?" : "");
}

/// <summary>
/// The usage record the router writes once per request, as data: the one home of its field names, types,
/// nullability and meanings. The router's writer, the request-history reader (<c>plan --usage</c>), the README's
/// table, the Glue table's columns and the analytics SQL all follow this list; nothing else spells the record out.
/// Adding a field: add it here (in the order the writer writes it), write it in <c>UsageRecordWriter</c>, and the
/// tests show every other place that must follow (the README table, the Glue columns).
/// </summary>
public static class UsageRecordSchema
{
    /// <summary>A record is renamed or loses a field only with a new version; new fields keep the version.</summary>
    public const int Version = 1;

    /// <summary>The value of <see cref="RecordType"/>: what a subscription filter selects usage records by.</summary>
    public const string RecordTypeValue = "llm-cost.usage";

    /// <summary>The EMF envelope's member: written first, read by CloudWatch, not a column.</summary>
    public const string EmfEnvelope = "_aws";

    public static readonly UsageField RecordType = new("recordType", UsageFieldType.String, false, "`llm-cost.usage`");
    public static readonly UsageField SchemaVersion = new("schemaVersion", UsageFieldType.Integer, false, "schema version, 1");
    public static readonly UsageField Timestamp = new("timestamp", UsageFieldType.String, false, "request start, UTC ISO 8601 with milliseconds (`2026-11-28T15:20:00.000Z`)");
    public static readonly UsageField Stack = new("stack", UsageFieldType.String, false, "the stack");
    public static readonly UsageField RequestId = new("requestId", UsageFieldType.String, false, "API Gateway's request ID (Lambda's when the event has none)");
    public static readonly UsageField LambdaRequestId = new("lambdaRequestId", UsageFieldType.String, true, "Lambda's request ID");
    public static readonly UsageField TraceId = new("traceId", UsageFieldType.String, true, "X-Ray trace header");
    public static readonly UsageField App = new("app", UsageFieldType.String, false, "configured app name; `unknown` for a client that is no app, `none` without an authorizer");
    public static readonly UsageField User = new("user", UsageFieldType.String, false, "the body's `user`, else the client ID");
    public static readonly UsageField HttpMethod = new("httpMethod", UsageFieldType.String, false, "as received");
    public static readonly UsageField Path = new("path", UsageFieldType.String, false, "as received");
    public static readonly UsageField RequestedModel = new("requestedModel", UsageFieldType.String, true, "the body's `model`, clipped to 256 chars");
    public static readonly UsageField Route = new("route", UsageFieldType.String, false, "route served (or last tried); `none` before routing");
    public static readonly UsageField Model = new("model", UsageFieldType.String, false, "that route's model ID; `none` before routing");
    public static readonly UsageField Backend = new("backend", UsageFieldType.String, true, "`bedrock` or `fleet`");
    public static readonly UsageField Reason = new("reason", UsageFieldType.String, true, "why: score and its parts, tier, fleet health, fallbacks, escalations");
    public static readonly UsageField ComplexityScore = new("complexityScore", UsageFieldType.Number, true, "for `auto`");
    public static readonly UsageField FallbackFrom = new("fallbackFrom", UsageFieldType.String, true, "the route first chosen when a fallback served");
    public static readonly UsageField Attempts = new("attempts", UsageFieldType.Integer, false, "backend calls made, retries and fallbacks included");
    public static readonly UsageField BackendFailures = new("backendFailures", UsageFieldType.StringList, false,
        "each failed route as `route:reason` (at most 8): `throttled`, `server_error`, `timeout`, `connection_failed`, `malformed_response`, `answer_too_large`, `usage_implausible`, `request_rejected`, `endpoint_not_found`, `model_not_found`, `model_end_of_life`, `model_access_denied`, `model_not_ready`, `model_needs_inference_profile`, `backend_misconfigured`, `model_error`, `router_not_configured`, `backend_failed`");
    public static readonly UsageField Status = new("status", UsageFieldType.Integer, false, "HTTP status");
    public static readonly UsageField Outcome = new("outcome", UsageFieldType.String, false,
        string.Join(", ", Vocabulary.RequestOutcomes.Vocabulary.Names.Select(n => $"`{n}`")));
    public static readonly UsageField ErrorCode = new("errorCode", UsageFieldType.String, true, "as in the error response");
    public static readonly UsageField ErrorParam = new("errorParam", UsageFieldType.String, true, "as in the error response");
    public static readonly UsageField ErrorMessage = new("errorMessage", UsageFieldType.String, true, "as in the error response");
    public static readonly UsageField CountedInputTokens = new("countedInputTokens", UsageFieldType.Integer, true, "input tokens counted with `o200k_base` (the estimate's basis)");
    public static readonly UsageField CalibrationRatio = new("calibrationRatio", UsageFieldType.Number, true, "the model family's calibration of that count");
    public static readonly UsageField EstimatedInputTokens = new("estimatedInputTokens", UsageFieldType.Integer, true, "counted x calibration");
    public static readonly UsageField MaxOutputTokens = new("maxOutputTokens", UsageFieldType.Integer, true, "the output cap sent to the backend");
    public static readonly UsageField EstimatedCostUsd = new("estimatedCostUsd", UsageFieldType.Number, false, "worst case before the call");
    public static readonly UsageField InputTokens = new("inputTokens", UsageFieldType.Integer, false, "as the backend reported (0 without an answer)");
    public static readonly UsageField OutputTokens = new("outputTokens", UsageFieldType.Integer, false, "as the backend reported (0 without an answer)");
    public static readonly UsageField CacheReadTokens = new("cacheReadTokens", UsageFieldType.Integer, false, "as the backend reported (0 without an answer)");
    public static readonly UsageField CacheWriteTokens = new("cacheWriteTokens", UsageFieldType.Integer, false, "as the backend reported (0 without an answer)");
    public static readonly UsageField CostUsd = new("costUsd", UsageFieldType.Number, false, "from the reported usage at the route's prices");
    public static readonly UsageField FinishReason = new("finishReason", UsageFieldType.String, true, "OpenAI finish reason");
    public static readonly UsageField Stream = new("stream", UsageFieldType.String, true, "`sse` when the answer was streamed as it came, `sse_whole` when its events were sent together; absent when the client did not ask for `stream: true`");
    public static readonly UsageField TimeToFirstTokenMs = new("timeToFirstTokenMs", UsageFieldType.Integer, true, "streamed answers: milliseconds from the request to the first text sent");
    public static readonly UsageField ClientGone = new("clientGone", UsageFieldType.Boolean, true, "streamed answers: the client went away before the end (the backend call was stopped)");
    public static readonly UsageField StreamEnd = new("streamEnd", UsageFieldType.String, true,
        $"streamed answers: how the stream ended ({string.Join(", ", Vocabulary.StreamEnds.Vocabulary.Names.Select(n => $"`{n}`"))}, or the failure's reason)");
    public static readonly UsageField UsageEstimated = new("usageEstimated", UsageFieldType.Boolean, true, "streamed answers: the backend reported no usage, so tokens and cost are the router's estimate");
    public static readonly UsageField LatencyMs = new("latencyMs", UsageFieldType.Integer, false, "router wall time");
    public static readonly UsageField BackendLatencyMs = new("backendLatencyMs", UsageFieldType.Integer, true, "Bedrock's `metrics.latencyMs`");
    public static readonly UsageField LimitHits = new("limitHits", UsageFieldType.StringList, false, "`max_tokens_capped:A->B`, `input_trimmed:A->B`, `input_escalated:R1->R2`");
    public static readonly UsageField Requests = new("requests", UsageFieldType.Integer, false, "always 1 (the EMF request count)");
    public static readonly UsageField BudgetCheck = new("budgetCheck", UsageFieldType.String, true, "`none`, `reserved`, `refused`, `refused_store_unavailable`, `unchecked_store_unavailable` (see Budgets)");
    public static readonly UsageField BudgetUsd = new("budgetUsd", UsageFieldType.Number, true, "the app's monthly budget");
    public static readonly UsageField BudgetReservedUsd = new("budgetReservedUsd", UsageFieldType.Number, true, "what this request reserved against it");
    public static readonly UsageField BudgetSettle = new("budgetSettle", UsageFieldType.String, true, "`settled`, `released`, `failed`");
    public static readonly UsageField BudgetStoreError = new("budgetStoreError", UsageFieldType.String, true, "the budget store's error code, bounded");
    public static readonly UsageField PriceSource = new("priceSource", UsageFieldType.String, false, "provenance of the prices used");
    public static readonly UsageField PriceAsOf = new("priceAsOf", UsageFieldType.String, false, "the prices' date");
    public static readonly UsageField Prompt = new("prompt", UsageFieldType.String, true,
        "only when the configuration's `logPrompts` is true; clipped at 8,192 characters (`...[clipped N chars]`), at 1,024 if the line would still pass 64 KiB");
    public static readonly UsageField Completion = new("completion", UsageFieldType.String, true, "as `prompt`");

    /// <summary>Every field, in the order the writer writes them (after the EMF envelope).</summary>
    public static IReadOnlyList<UsageField> Fields { get; } =
    [
        RecordType, SchemaVersion, Timestamp, Stack, RequestId, LambdaRequestId, TraceId, App, User, HttpMethod, Path,
        RequestedModel, Route, Model, Backend, Reason, ComplexityScore, FallbackFrom, Attempts, BackendFailures, Status,
        Outcome, ErrorCode, ErrorParam, ErrorMessage, CountedInputTokens, CalibrationRatio, EstimatedInputTokens,
        MaxOutputTokens, EstimatedCostUsd, InputTokens, OutputTokens, CacheReadTokens, CacheWriteTokens, CostUsd,
        FinishReason, Stream, TimeToFirstTokenMs, ClientGone, StreamEnd, UsageEstimated, LatencyMs, BackendLatencyMs, LimitHits, Requests, BudgetCheck, BudgetUsd,
        BudgetReservedUsd, BudgetSettle, BudgetStoreError, PriceSource, PriceAsOf, Prompt, Completion,
    ];

    /// <summary>The field with this JSON name, or null.</summary>
    public static UsageField? Find(string name) => Fields.FirstOrDefault(f => f.Name == name);
}
