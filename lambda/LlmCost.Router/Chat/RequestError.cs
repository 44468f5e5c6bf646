namespace LlmCost.Router.Chat;

/// <summary>
/// A request the router refuses, in OpenAI's error shape: the status, a message that names the problem, the
/// offending field (<c>param</c>) and a machine-readable code.
/// </summary>
internal sealed record RequestError(int Status, string Message, string? Param, string Code)
{
    public string Type => CostModel.ApiSurface.ErrorType(Status);

    public static RequestError Invalid(string param, string message) => new(400, $"{param}: {message}", param, "invalid_value");

    public static RequestError TooLarge(string param, string message, string code = "request_too_large") => new(413, $"{param}: {message}", param, code);
}

/// <summary>Thrown while parsing; the handler turns it into the response and the usage record.</summary>
internal sealed class RequestErrorException(RequestError error) : Exception(error.Message)
{
    public RequestError Error { get; } = error;
}
