using System.Buffers;
using System.Net;
using System.Text.Json;
using LlmCost.Aws;
using LlmCost.CostModel;
using LlmCost.Router.Chat;
using LlmCost.Router.Routing;

namespace LlmCost.Router.Backends;

/// <summary>
/// The self-hosted fleet, which speaks OpenAI chat completions (LMI/DJL and TGI containers accept a body with
/// <c>messages</c>). Two transports:
/// <list type="bullet">
/// <item>SageMaker: <c>POST /endpoints/{endpointName}/invocations</c> on SageMaker Runtime, SigV4 with signing name
/// <c>sagemaker</c>. Its throttling is a 400 with <c>x-amzn-ErrorType: ThrottlingException</c>; a container's 429/503
/// arrives as <c>ModelError</c> 424 with <c>OriginalStatusCode</c>. Streamed: InvokeEndpointWithResponseStream,
/// <c>POST /endpoints/{endpointName}/invocations-response-stream</c>, the same body with <c>stream: true</c>, answered
/// in AWS event-stream framing (<see cref="Streaming.SageMakerStreamReader"/>); refusals have the same shapes.</item>
/// <item>ECS: the service's own OpenAI-compatible base URL, <c>POST {url}/v1/chat/completions</c>, unsigned.</item>
/// </list>
/// </summary>
internal sealed class FleetChatClient : IChatBackend, IStreamingBackend
{
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly bool _sageMaker;
    private readonly string _region;
    private readonly Func<string, string?> _environment;
    private readonly TimeProvider _time;

    private FleetChatClient(HttpClient http, Uri baseUri, bool sageMaker, string region, Func<string, string?> environment, TimeProvider time)
    {
        (_http, _base, _sageMaker, _region, _environment, _time) = (http, baseUri, sageMaker, region, environment, time);
    }

    public static FleetChatClient SageMaker(HttpClient http, Uri endpoint, string region, Func<string, string?> environment, TimeProvider time) =>
        new(http, endpoint, sageMaker: true, region, environment, time);

    public static FleetChatClient OpenAiCompatible(HttpClient http, Uri baseUrl, TimeProvider time) =>
        new(http, baseUrl, sageMaker: false, "", _ => null, time);

    public async Task<BackendReply> SendAsync(RouteDecision decision, ChatRequest request, CancellationToken cancellationToken)
    {
        var root = _base.AbsoluteUri.TrimEnd('/');
        var uri = _sageMaker
            ? new Uri($"{root}/endpoints/{Uri.EscapeDataString(decision.InvokeId)}/invocations")
            : new Uri($"{root}/v1/chat/completions");
        var signing = _sageMaker ? new SigV4Signing(EnvironmentCredentials.Read(_environment), _region, AwsEndpoints.SageMakerRuntime.SigningName) : null;
        var reply = await BackendHttp.PostJsonAsync(_http, uri, RequestBody(decision, request), signing, _time, cancellationToken);
        if (reply.Status != HttpStatusCode.OK)
        {
            throw _sageMaker ? SageMakerError(reply) : ServiceError(reply);
        }

        return ParseReply(reply.Body);
    }

    /// <summary>Both transports stream: SageMaker through InvokeEndpointWithResponseStream, ECS as OpenAI SSE.</summary>
    public bool CanStream => true;

    public async Task<HttpResponseMessage> OpenStreamAsync(RouteDecision decision, ChatRequest request, CancellationToken cancellationToken)
    {
        var root = _base.AbsoluteUri.TrimEnd('/');
        var body = RequestBody(decision, request, stream: true);
        if (_sageMaker)
        {
            var uri = new Uri($"{root}/endpoints/{Uri.EscapeDataString(decision.InvokeId)}/invocations-response-stream");
            var signing = new SigV4Signing(EnvironmentCredentials.Read(_environment), _region, AwsEndpoints.SageMakerRuntime.SigningName);
            var (stream, refused) = await BackendHttp.OpenAsync(_http, uri, body, signing, EventStreamContentType, _time, cancellationToken);
            return stream ?? throw SageMakerError(refused!);
        }

        var (open, error) = await BackendHttp.OpenAsync(_http, new Uri($"{root}/v1/chat/completions"), body, null, "text/event-stream", _time, cancellationToken);
        return open ?? throw ServiceError(error!);
    }

    public const string EventStreamContentType = "application/vnd.amazon.eventstream";

    public IAsyncEnumerable<Streaming.ConverseStreamEvent> ReadAsync(Stream body, CancellationToken cancellationToken) => _sageMaker
        ? Streaming.SageMakerStreamReader.ReadAsync(body, cancellationToken)
        : Streaming.OpenAiStreamReader.ReadAsync(body, cancellationToken);

    public static byte[] RequestBody(RouteDecision decision, ChatRequest request, bool stream = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model", decision.Route.ModelId);
            writer.WriteStartArray("messages");
            foreach (var message in decision.Messages)
            {
                writer.WriteStartObject();
                // Serving containers know system, user and assistant; developer is OpenAI's newer name for system.
                writer.WriteString("role", message.Role == "developer" ? "system" : message.Role);
                writer.WriteString("content", message.Text);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("max_tokens", decision.MaxOutputTokens);
            if (stream)
            {
                writer.WriteStartObject("stream_options");
                writer.WriteBoolean("include_usage", true);
                writer.WriteEndObject();
            }

            if (request.Temperature is { } temperature)
            {
                writer.WriteNumber("temperature", temperature);
            }

            if (request.TopP is { } topP)
            {
                writer.WriteNumber("top_p", topP);
            }

            if (request.Stop.Count > 0)
            {
                writer.WriteStartArray("stop");
                foreach (var stop in request.Stop)
                {
                    writer.WriteStringValue(stop);
                }

                writer.WriteEndArray();
            }

            writer.WriteBoolean("stream", stream);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static BackendReply ParseReply(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var choice = root.GetProperty("choices")[0];
            var content = choice.GetProperty("message").GetProperty("content");
            var text = content.ValueKind == JsonValueKind.Null ? "" : content.GetString()!;
            var finish = choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "stop";
            var usage = root.GetProperty("usage");
            long cached = usage.TryGetProperty("prompt_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object
                && details.TryGetProperty("cached_tokens", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt64() : 0;
            var prompt = usage.GetProperty("prompt_tokens").GetInt64();
            var completion = usage.GetProperty("completion_tokens").GetInt64();
            if (prompt < 0 || completion < 0 || cached < 0 || cached > prompt)
            {
                throw new FormatException("impossible token counts");
            }

            // OpenAI's prompt_tokens includes the cached ones; price them once, at the cache-read price.
            var tokens = new TokenUsage(prompt - cached, completion, CacheReadTokens: cached);
            return new BackendReply(text, FinishReasons.FromBackend(finish), finish, tokens, null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw new BackendException(FailureKind.Malformed, "malformed_response", $"the fleet returned a response that is not a chat completion ({e.GetType().Name})");
        }
    }

    private static BackendException SageMakerError(HttpReply reply)
    {
        var (code, message, body) = AwsErrors.Read(reply.Headers, reply.Body);
        var status = (int)reply.Status;
        var original = body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("OriginalStatusCode", out var o) && o.ValueKind == JsonValueKind.Number && o.TryGetInt32(out var s) ? s : (int?)null;
        var (kind, reason) = code switch
        {
            "ThrottlingException" => (FailureKind.Throttled, FailureReasons.Throttled),
            "ModelNotReadyException" => (FailureKind.Throttled, FailureReasons.ModelNotReady),
            "ModelError" when original == 429 => (FailureKind.Throttled, FailureReasons.Throttled),
            "ModelError" when original == 503 => (FailureKind.ServerError, FailureReasons.ServerError),
            // The container refused the request itself (e.g. longer than its context): the client's to fix, not a 502.
            "ModelError" when original is 400 or 413 or 422 => (FailureKind.Rejected, FailureReasons.Rejected),
            "ModelError" => (FailureKind.Failed, FailureReasons.ModelError),
            // "Endpoint {name} of account {account} not found.": the fleet is missing, not the request wrong.
            "ValidationError" when FailureReasons.IsSageMakerEndpointMissing(message) => (FailureKind.Failed, FailureReasons.EndpointNotFound),
            "ValidationError" when FailureReasons.IsSageMakerPayloadProblem(message) => (FailureKind.Rejected, FailureReasons.Rejected),
            // The router shapes every other part of the call (endpoint, headers, content type): ours to fix, so fall back.
            "ValidationError" => (FailureKind.Failed, FailureReasons.BackendMisconfigured),
            "AccessDeniedException" => (FailureKind.Failed, FailureReasons.ModelAccessDenied),
            "InternalFailure" or "ServiceUnavailable" or "InternalDependencyException" => (FailureKind.ServerError, FailureReasons.ServerError),
            _ when status == 429 => (FailureKind.Throttled, FailureReasons.Throttled),
            _ when status >= 500 => (FailureKind.ServerError, FailureReasons.ServerError),
            _ => (FailureKind.Failed, FailureReasons.Failed),
        };
        var originalNote = original is { } os ? $" (container {os})" : "";
        var safeCode = code.Length > 0 ? BackendException.SafeCode(code) : $"http_{status}";
        return new BackendException(kind, safeCode, $"SageMaker {status} {safeCode}{originalNote} ({reason})", status, AwsErrors.RetryAfter(reply.Headers),
            reason: reason, detail: kind == FailureKind.Rejected ? message : null);
    }

    private static BackendException ServiceError(HttpReply reply)
    {
        var status = (int)reply.Status;
        var kind = status switch
        {
            429 => FailureKind.Throttled,
            >= 500 => FailureKind.ServerError,
            400 or 422 => FailureKind.Rejected,
            _ => FailureKind.Failed,
        };
        var message = "";
        try
        {
            using var document = JsonDocument.Parse(reply.Body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                message = error.ValueKind == JsonValueKind.String ? error.GetString()!
                    : error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
            }
        }
        catch (JsonException)
        {
            // Not JSON: the status is all there is.
        }

        return new BackendException(kind, $"http_{status}", $"fleet {status}", status, AwsErrors.RetryAfter(reply.Headers),
            reason: status == 404 ? FailureReasons.EndpointNotFound : null, detail: kind == FailureKind.Rejected ? message : null);
    }
}
