using LlmCost.CostModel;

namespace LlmCost.Router.Backends;

/// <summary>A backend's answer: the text, the OpenAI finish reason, and the usage it reported (what it bills).</summary>
/// <param name="BackendStopReason">The backend's own stop reason, kept for the record.</param>
internal sealed record BackendReply(string Text, string FinishReason, string BackendStopReason, TokenUsage Usage, long? BackendLatencyMs);

internal enum FailureKind
{
    /// <summary>429 / ThrottlingException: retry with backoff; a throttled fleet sends traffic to its fallback.</summary>
    Throttled,

    /// <summary>5xx or a retryable service error.</summary>
    ServerError,

    /// <summary>The attempt ran out of its share of the Lambda's remaining time.</summary>
    Timeout,

    /// <summary>Connection refused or reset.</summary>
    Connection,

    /// <summary>A 200 whose body is not what the wire format promises.</summary>
    Malformed,

    /// <summary>The backend refused the request itself (ValidationException): the client's to fix, not retried.</summary>
    Rejected,

    /// <summary>Access denied, unknown model, model error: not retried, but a fallback may serve.</summary>
    Failed,

    /// <summary>Something the function lacks (credentials, endpoint): not retried.</summary>
    NotConfigured,
}

/// <summary>
/// A failed backend call. <see cref="Reason"/> (from <see cref="FailureReasons"/>) and <see cref="Code"/> (the
/// backend's error code, reduced to identifier characters) are bounded and safe to record; the message is the router's
/// own text; <see cref="Detail"/> is the backend's own words, clipped, for the client's response only when the client's
/// request was at fault (they are the client's own content at worst), never for records or logs.
/// </summary>
internal sealed class BackendException(
    FailureKind kind, string code, string message, int? status = null, TimeSpan? retryAfter = null, Exception? inner = null, string? reason = null, string? detail = null)
    : Exception(message, inner)
{
    public const int MaxCodeChars = 64;
    public const int MaxDetailChars = 300;

    public FailureKind Kind { get; } = kind;

    /// <summary>The backend's error code (ThrottlingException, ModelError…) or ours (timeout, malformed_response).</summary>
    public string Code { get; } = SafeCode(code);

    /// <summary>Why, in the bounded vocabulary of <see cref="FailureReasons"/>.</summary>
    public string Reason { get; } = reason ?? DefaultReason(kind);

    public string? Detail { get; } = detail is null ? null : detail.Length <= MaxDetailChars ? detail : detail[..MaxDetailChars] + "...";

    public int? Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public bool Retryable => Kind is FailureKind.Throttled or FailureKind.ServerError or FailureKind.Connection;

    /// <summary>Backend-supplied codes come from a header anyone in the path can set: keep letters, digits, '_', '.', '-'.</summary>
    public static string SafeCode(string code)
    {
        var kept = new string(code.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-').Take(MaxCodeChars).ToArray());
        return kept.Length > 0 ? kept : "unknown";
    }

    private static string DefaultReason(FailureKind kind) => kind switch
    {
        FailureKind.Throttled => FailureReasons.Throttled,
        FailureKind.ServerError => FailureReasons.ServerError,
        FailureKind.Timeout => FailureReasons.Timeout,
        FailureKind.Connection => FailureReasons.ConnectionFailed,
        FailureKind.Malformed => FailureReasons.MalformedResponse,
        FailureKind.Rejected => FailureReasons.Rejected,
        FailureKind.NotConfigured => FailureReasons.NotConfigured,
        _ => FailureReasons.Failed,
    };
}
