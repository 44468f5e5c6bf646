namespace LlmCost.Router.Backends;

/// <summary>
/// The bounded vocabulary that says why a backend call failed. Records, reasons and client messages carry these codes,
/// never the backend's own text: a backend may quote the prompt in its error, and its text has no size limit.
/// </summary>
internal static class FailureReasons
{
    public const string Throttled = "throttled";
    public const string ServerError = "server_error";
    public const string Timeout = "timeout";
    public const string ConnectionFailed = "connection_failed";
    public const string MalformedResponse = "malformed_response";
    public const string AnswerTooLarge = "answer_too_large";
    public const string UsageImplausible = "usage_implausible";
    public const string Rejected = "request_rejected";
    public const string EndpointNotFound = "endpoint_not_found";
    public const string ModelNotFound = "model_not_found";
    public const string ModelEndOfLife = "model_end_of_life";
    public const string ModelAccessDenied = "model_access_denied";
    public const string ModelNotReady = "model_not_ready";
    public const string NeedsInferenceProfile = "model_needs_inference_profile";
    public const string BackendMisconfigured = "backend_misconfigured";
    public const string ModelError = "model_error";
    public const string NotConfigured = "router_not_configured";
    public const string Failed = "backend_failed";

    /// <summary>A stream that broke after it started: an exception frame, a dropped connection, a broken frame.</summary>
    public const string StreamInterrupted = "stream_interrupted";

    /// <summary>
    /// Why Bedrock refused a call for something about the model rather than the request's content, read from the
    /// message of a ValidationException, ResourceNotFoundException or AccessDeniedException (texts as AWS sends them,
    /// collected from public reports: "The provided model identifier is invalid.", "This model version has reached the
    /// end of its life.", "Invocation of model ID … with on-demand throughput isn’t supported…", "Access denied. This
    /// Model is marked by provider as Legacy…", "You don't have access to the model with the specified model ID.").
    /// Null when the message does not name such a cause.
    /// </summary>
    public static string? BedrockModelProblem(string message)
    {
        // AWS writes some apostrophes as U+2019; compare on one spelling.
        var m = message.Replace('\u2019', '\'');
        if (Has(m, "end of its life") || Has(m, "end-of-life"))
        {
            return ModelEndOfLife;
        }

        if (Has(m, "on-demand throughput") || Has(m, "inference profile"))
        {
            return NeedsInferenceProfile;
        }

        if (Has(m, "marked by provider as legacy") || Has(m, "don't have access to the model") || Has(m, "model access is denied"))
        {
            return ModelAccessDenied;
        }

        if (Has(m, "model identifier is invalid") || Has(m, "at 'modelId'") || Has(m, "model not found") || Has(m, "operation is not recognized"))
        {
            return ModelNotFound;
        }

        return null;
    }

    /// <summary>SageMaker's ValidationError for a missing endpoint: "Endpoint {name} of account {account} not found."</summary>
    public static bool IsSageMakerEndpointMissing(string message) =>
        Has(message, "not found") && (Has(message, "endpoint") || Has(message, "inference component") || Has(message, "variant"));

    /// <summary>
    /// A SageMaker ValidationError about the payload itself (the only part of the call the client shapes); every other
    /// ValidationError is about how the router called the endpoint, which is the stack's to fix, not the client's.
    /// </summary>
    public static bool IsSageMakerPayloadProblem(string message) =>
        Has(message, "body") || Has(message, "payload") || Has(message, "too large") || Has(message, "size");

    private static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);
}
