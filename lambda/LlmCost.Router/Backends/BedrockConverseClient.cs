using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using LlmCost.Aws;
using LlmCost.CostModel;
using LlmCost.Router.Chat;
using LlmCost.Router.Routing;

namespace LlmCost.Router.Backends;

/// <summary>
/// Bedrock Runtime Converse: <c>POST /model/{modelId}/converse</c>, SigV4 with signing name <c>bedrock</c> and the
/// function's credentials. The model ID (or inference-profile ARN) is one percent-encoded path label.
/// </summary>
internal sealed class BedrockConverseClient(HttpClient http, Uri endpoint, string region, Func<string, string?> environment, TimeProvider time) : IChatBackend, IStreamingBackend
{
    public async Task<BackendReply> SendAsync(RouteDecision decision, ChatRequest request, CancellationToken cancellationToken)
    {
        var credentials = EnvironmentCredentials.Read(environment);
        var uri = new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/model/{Uri.EscapeDataString(decision.InvokeId)}/converse");
        var body = RequestBody(decision, request);
        var reply = await BackendHttp.PostJsonAsync(http, uri, body, new SigV4Signing(credentials, region, AwsEndpoints.BedrockRuntime.SigningName), time, cancellationToken);
        if (reply.Status != HttpStatusCode.OK)
        {
            throw Error(reply);
        }

        return ParseReply(reply.Body);
    }

    /// <summary>
    /// ConverseStream (<c>POST /model/{modelId}/converse-stream</c>, same body as Converse): the open response once
    /// Bedrock said 200, its event-stream body unread (see <see cref="Streaming.ConverseStreamReader"/>). A refusal
    /// before the stream starts is the same <see cref="BackendException"/> Converse would give.
    /// </summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(RouteDecision decision, ChatRequest request, CancellationToken cancellationToken)
    {
        var credentials = EnvironmentCredentials.Read(environment);
        var uri = new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/model/{Uri.EscapeDataString(decision.InvokeId)}/converse-stream");
        var body = RequestBody(decision, request);
        var (open, error) = await BackendHttp.OpenAsync(http, uri, body, new SigV4Signing(credentials, region, AwsEndpoints.BedrockRuntime.SigningName), EventStreamContentType, time, cancellationToken);
        return open ?? throw Error(error!);
    }

    public const string EventStreamContentType = "application/vnd.amazon.eventstream";

    public bool CanStream => true;

    public IAsyncEnumerable<Streaming.ConverseStreamEvent> ReadAsync(Stream body, CancellationToken cancellationToken) =>
        Streaming.ConverseStreamReader.ReadAsync(body, cancellationToken);

    /// <summary>
    /// OpenAI messages as Converse wants them: system and developer text in <c>system</c>; consecutive messages of one
    /// role merged (Converse requires user and assistant to alternate).
    /// </summary>
    public static byte[] RequestBody(RouteDecision decision, ChatRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("messages");
            string? openRole = null;
            foreach (var message in decision.Messages.Where(m => m.Role is "user" or "assistant"))
            {
                if (message.Role != openRole)
                {
                    if (openRole is not null)
                    {
                        writer.WriteEndArray();
                        writer.WriteEndObject();
                    }

                    writer.WriteStartObject();
                    writer.WriteString("role", message.Role);
                    writer.WriteStartArray("content");
                    openRole = message.Role;
                }

                writer.WriteStartObject();
                writer.WriteString("text", message.Text);
                writer.WriteEndObject();
            }

            if (openRole is not null)
            {
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();

            var system = decision.Messages.Where(m => m.Role is "system" or "developer").ToList();
            if (system.Count > 0)
            {
                writer.WriteStartArray("system");
                foreach (var message in system)
                {
                    writer.WriteStartObject();
                    writer.WriteString("text", message.Text);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteStartObject("inferenceConfig");
            writer.WriteNumber("maxTokens", decision.MaxOutputTokens);
            if (request.Temperature is { } temperature)
            {
                // OpenAI's range is 0-2, Converse's 0-1.
                writer.WriteNumber("temperature", Math.Min(1.0, temperature));
            }

            if (request.TopP is { } topP)
            {
                writer.WriteNumber("topP", topP);
            }

            if (request.Stop.Count > 0)
            {
                writer.WriteStartArray("stopSequences");
                foreach (var stop in request.Stop)
                {
                    writer.WriteStringValue(stop);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
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
            var content = root.GetProperty("output").GetProperty("message").GetProperty("content");
            var text = new StringBuilder();
            foreach (var block in content.EnumerateArray())
            {
                if (block.TryGetProperty("text", out var t))
                {
                    text.Append(t.GetString());
                }
            }

            var stopReason = root.GetProperty("stopReason").GetString() ?? "";
            var usage = root.GetProperty("usage");
            var tokens = new TokenUsage(
                InputTokens: usage.GetProperty("inputTokens").GetInt64(),
                OutputTokens: usage.GetProperty("outputTokens").GetInt64(),
                CacheReadTokens: Optional(usage, "cacheReadInputTokens"),
                CacheWriteTokens: Optional(usage, "cacheWriteInputTokens"));
            if (tokens.InputTokens < 0 || tokens.OutputTokens < 0 || tokens.CacheReadTokens < 0 || tokens.CacheWriteTokens < 0)
            {
                throw new FormatException("negative token count");
            }

            long? latency = root.TryGetProperty("metrics", out var metrics) && metrics.TryGetProperty("latencyMs", out var l) && l.TryGetInt64(out var ms) ? ms : null;
            return new BackendReply(text.ToString(), FinishReasons.FromBackend(stopReason), stopReason, tokens, latency);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new BackendException(FailureKind.Malformed, "malformed_response", $"Bedrock returned a response that is not a Converse answer ({e.GetType().Name})");
        }
    }

    private static long Optional(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    /// <summary>
    /// Only a ValidationException about the request's content is the client's (400, no fallback). A model that is not
    /// found, past its end of life, not enabled for this account, not offered on demand, or not ready is the stack's
    /// problem: a backend failure, so the route's fallback serves and the record says which.
    /// </summary>
    private static BackendException Error(HttpReply reply)
    {
        var (code, message, _) = AwsErrors.Read(reply.Headers, reply.Body);
        var status = (int)reply.Status;
        var modelProblem = FailureReasons.BedrockModelProblem(message);
        var (kind, reason) = code switch
        {
            "ThrottlingException" or "ServiceQuotaExceededException" => (FailureKind.Throttled, FailureReasons.Throttled),
            "ModelNotReadyException" => (FailureKind.ServerError, FailureReasons.ModelNotReady),
            "InternalServerException" or "ServiceUnavailableException" => (FailureKind.ServerError, FailureReasons.ServerError),
            "ValidationException" when modelProblem is not null => (FailureKind.Failed, modelProblem),
            "ValidationException" => (FailureKind.Rejected, FailureReasons.Rejected),
            "ResourceNotFoundException" => (FailureKind.Failed, modelProblem ?? FailureReasons.ModelNotFound),
            "AccessDeniedException" => (FailureKind.Failed, FailureReasons.ModelAccessDenied),
            "ModelTimeoutException" => (FailureKind.Timeout, FailureReasons.Timeout),
            "ModelErrorException" => (FailureKind.Failed, FailureReasons.ModelError),
            _ when status == 429 => (FailureKind.Throttled, FailureReasons.Throttled),
            _ when status is 500 or 502 or 503 or 504 => (FailureKind.ServerError, FailureReasons.ServerError),
            _ => (FailureKind.Failed, FailureReasons.Failed),
        };
        var safeCode = code.Length > 0 ? BackendException.SafeCode(code) : $"http_{status}";
        return new BackendException(kind, safeCode, $"Bedrock {status} {safeCode} ({reason})", status, AwsErrors.RetryAfter(reply.Headers),
            reason: reason, detail: kind == FailureKind.Rejected ? message : null);
    }
}
