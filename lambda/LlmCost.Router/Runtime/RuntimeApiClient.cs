using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace LlmCost.Router.Runtime;

/// <summary>One invocation as <c>/runtime/invocation/next</c> hands it over.</summary>
internal sealed record Invocation(string RequestId, DateTimeOffset Deadline, string? InvokedFunctionArn, string? TraceId, byte[] Payload)
{
    /// <summary>The invocation's streamed response, for a handler that answers as it goes (set by the loop).</summary>
    public LambdaResponseStream? ResponseStream { get; init; }
}

/// <summary>
/// The Lambda Runtime API (2018-06-01) over plain HTTP to <c>AWS_LAMBDA_RUNTIME_API</c>: next (blocks until an
/// event; no client timeout, the sandbox is frozen between invocations), response, invocation error, init error.
/// </summary>
internal sealed class RuntimeApiClient(HttpClient http, string runtimeApi)
{
    public const string ErrorContentType = "application/vnd.aws.lambda.error+json";
    private readonly string _base = $"http://{runtimeApi}/2018-06-01/runtime";

    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler { PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"{_base}/invocation/next", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Ensure(response, "next");
        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new RuntimeApiException(response.StatusCode, "next: no Lambda-Runtime-Aws-Request-Id header");
        var deadlineMs = Header(response, "Lambda-Runtime-Deadline-Ms");
        var deadline = long.TryParse(deadlineMs, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : throw new RuntimeApiException(response.StatusCode, $"next: Lambda-Runtime-Deadline-Ms is not epoch milliseconds: \"{deadlineMs}\"");
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new Invocation(requestId, deadline, Header(response, "Lambda-Runtime-Invoked-Function-Arn"), Header(response, "Lambda-Runtime-Trace-Id"), payload);
    }

    public async Task SendResponseAsync(string requestId, byte[] payload, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync($"{_base}/invocation/{Uri.EscapeDataString(requestId)}/response", content, cancellationToken);
        Ensure(response, "response");
    }

    /// <summary>A streamed response to this invocation; nothing is sent until it is started.</summary>
    public LambdaResponseStream CreateResponseStream(string requestId) =>
        new(http, $"{_base}/invocation/{Uri.EscapeDataString(requestId)}/response");

    public Task SendInvocationErrorAsync(string requestId, Exception error, CancellationToken cancellationToken) =>
        PostErrorAsync($"{_base}/invocation/{Uri.EscapeDataString(requestId)}/error", error, cancellationToken);

    public Task SendInitErrorAsync(Exception error, CancellationToken cancellationToken) =>
        PostErrorAsync($"{_base}/init/error", error, cancellationToken);

    /// <summary>The error document Lambda shows in the console and logs: type, message, stack trace lines.</summary>
    public static byte[] ErrorBody(Exception error)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("errorMessage", error.Message);
            w.WriteString("errorType", error.GetType().Name);
            w.WriteStartArray("stackTrace");
            foreach (var line in (error.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                w.WriteStringValue(line);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private async Task PostErrorAsync(string url, Exception error, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(ErrorBody(error));
        content.Headers.ContentType = new MediaTypeHeaderValue(ErrorContentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", error.GetType().Name);
        using var response = await http.SendAsync(request, cancellationToken);
        Ensure(response, "error");
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static void Ensure(HttpResponseMessage response, string call)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new RuntimeApiException(response.StatusCode, $"{call}: the Runtime API answered {(int)response.StatusCode}");
        }
    }
}

internal sealed class RuntimeApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}
