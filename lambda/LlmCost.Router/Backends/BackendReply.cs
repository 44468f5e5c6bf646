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

internal sealed class BackendException(FailureKind kind, string code, string message, int? status = null, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;

    /// <summary>The backend's error code (ThrottlingException, ModelError…) or ours (timeout, malformed_response).</summary>
    public string Code { get; } = code;

    public int? Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public bool Retryable => Kind is FailureKind.Throttled or FailureKind.ServerError or FailureKind.Connection;
}
