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

    /// <summary>API Gateway's longest wait for a BUFFERED Lambda integration (without a quota increase).</summary>
    public const int GatewayTimeoutMs = 29_000;

    /// <summary>
    /// The gateway's integrations stream (<c>responseTransferMode: STREAM</c>): API Gateway invokes the function with
    /// Lambda's InvokeWithResponseStream, so a streamed answer reaches the client as it is written and is not cut at
    /// 29 s or 10 MB. Every integration streams, since the function answers every invocation in the streamed format
    /// (<see cref="ResponseStreamingVariable"/>): an invocation does not say which API invoked it.
    /// </summary>
    public const string ResponseTransferMode = "STREAM";

    /// <summary>
    /// Set to <c>1</c> in the function's environment where the gateway streams: the router then answers in the format
    /// API Gateway reads from InvokeWithResponseStream (JSON prelude, 8 NUL bytes, body).
    /// </summary>
    public const string ResponseStreamingVariable = "LLM_COST_RESPONSE_STREAMING";

    /// <summary>
    /// API Gateway's longest integration timeout in STREAM mode: 15 minutes ("you can stream your response for up to
    /// 15 minutes"; the REST API's timeoutInMillis is at most 900,000 when the transfer mode is STREAM).
    /// </summary>
    public const int StreamedGatewayTimeoutMs = 900_000;

    /// <summary>
    /// A streamed response on a Regional (or private) endpoint ends after 5 minutes without a byte (edge-optimized: 30 s;
    /// the gateway here is Regional). An answer the router sends whole must be ready within it.
    /// </summary>
    public const int StreamIdleTimeoutSeconds = 300;

    /// <summary>
    /// The router answers (even with a 504) before the gateway gives up: its timeout leaves a second of the
    /// gateway's 900 for a cold start's init and the answer's way back (Lambda's own maximum is 900 s).
    /// </summary>
    public const int MaxRouterTimeoutSeconds = (StreamedGatewayTimeoutMs / 1000) - 1;

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
