namespace LlmCost.CostModel;

/// <summary>
/// What the gateway and the router agree on, in one place: the OpenAI-compatible paths, the time each may take,
/// and the OpenAI error types both answer with.
/// </summary>
public static class ApiSurface
{
    /// <summary>The stage's base path: clients configure <c>{invokeUrl}/v1</c> as their OpenAI base URL.</summary>
    public const string Version = "v1";

    public const string ChatCompletionsPath = "/v1/chat/completions";
    public const string ModelsPath = "/v1/models";

    /// <summary>The path as API Gateway resource parts, root first.</summary>
    public static IReadOnlyList<string> Parts(string path) => path.Trim('/').Split('/');

    /// <summary>API Gateway's longest wait for a (non-streamed) Lambda integration.</summary>
    public const int GatewayTimeoutMs = 29_000;

    /// <summary>
    /// The router answers (even with a 504) before the gateway gives up: its timeout leaves a second of the
    /// gateway's 29 for a cold start's init and the answer's way back.
    /// </summary>
    public const int MaxRouterTimeoutSeconds = 28;

    public const string InvalidRequestError = "invalid_request_error";
    public const string AuthenticationError = "authentication_error";
    public const string PermissionError = "permission_error";
    public const string NotFoundError = "not_found_error";
    public const string RateLimitError = "rate_limit_error";
    public const string ApiError = "api_error";

    /// <summary>OpenAI's error type for an HTTP status, as both the gateway's own refusals and the router's use it.</summary>
    public static string ErrorType(int status) => status switch
    {
        401 => AuthenticationError,
        403 => PermissionError,
        404 => NotFoundError,
        429 => RateLimitError,
        >= 500 => ApiError,
        _ => InvalidRequestError,
    };
}
