using System.Globalization;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Router.Backends;
using LlmCost.Router.Budgets;
using LlmCost.Router.Chat;
using LlmCost.Router.Configuration;
using LlmCost.Router.Gateway;
using LlmCost.Router.Routing;
using LlmCost.Router.Streaming;
using LlmCost.Router.Tokens;
using LlmCost.Router.Usage;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Router.Handling;

/// <summary>
/// One API Gateway request, start to finish: identify the app, validate, count, route and cap, estimate, call the
/// backend (retries, fallback), settle the cost from the reported usage, respond in OpenAI's shape with cost headers,
/// and write exactly one usage record whatever happened (the record is written in a <c>finally</c>).
/// </summary>
internal sealed partial class RouterHandler(
    RouteTable routes,
    RouteSelector selector,
    BackendCaller caller,
    TokenCalibration calibration,
    BudgetLedger budgets,
    UsageRecordWriter usage,
    TimeProvider time,
    TextWriter diagnostics,
    TokenCounter counter,
    Func<RouteConfiguration, IStreamingBackend?>? streamingBackends = null)
{
    private readonly TokenCounter _counter = counter;
    private readonly Func<RouteConfiguration, IStreamingBackend?> _streamingBackends = streamingBackends ?? (_ => null);
    private readonly BudgetLedger _budgets = budgets;
    private readonly TokenCalibration _calibration = calibration;
    private readonly RouteTable _routes = routes;
    private readonly TimeProvider _time = time;

    // The paths the gateway serves: one home, shared with the program.
    public const string ChatPath = CostModel.ApiSurface.ChatCompletionsPath;
    public const string ModelsPath = CostModel.ApiSurface.ModelsPath;
    public const int MaxRecordedModelChars = 128;

    /// <summary>
    /// Stop this long before Lambda's deadline, so the refusal and its usage record still get out. Shorter than the
    /// backend caller's 300 ms response reserve, so a backend that runs out of time is reported as a backend timeout.
    /// </summary>
    public static readonly TimeSpan DeadlineReserve = TimeSpan.FromMilliseconds(150);

    public async Task<ApiGatewayResponse> HandleAsync(ReadOnlyMemory<byte> eventJson, InvocationInfo invocation, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var config = _routes.Config;
        var record = new UsageRecord
        {
            Timestamp = _time.GetUtcNow(),
            Stack = config.Stack,
            RequestId = invocation.LambdaRequestId,
            LambdaRequestId = invocation.LambdaRequestId,
            TraceId = invocation.TraceId,
            PriceSource = config.Prices.Source.Name(),
            PriceAsOf = config.Prices.AsOf,
        };
        using var beforeDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var remaining = invocation.Deadline - _time.GetUtcNow() - DeadlineReserve;
        if (remaining < TimeSpan.FromDays(1))
        {
            beforeDeadline.CancelAfter(remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining);
        }

        try
        {
            return await HandleCoreAsync(eventJson, invocation, record, started, beforeDeadline.Token);
        }
        catch (RequestErrorException e)
        {
            // A 5xx refusal here is the budget store being unreachable: not the client's doing.
            return Refuse(record, e.Error, e.Error.Status >= 500 ? "backend_error" : "client_error");
        }
        catch (BackendException e)
        {
            // The record keeps the router's own message; only a rejected request's response quotes the backend (the
            // client's own content at worst), clipped.
            var error = BackendError(e);
            var clientError = e.Kind == FailureKind.Rejected && e.Detail is { Length: > 0 } detail ? error with { Message = $"{error.Message}: {detail}" } : error;
            return Refuse(record, error, Outcome(e), clientError, e.Kind == FailureKind.Throttled ? e.RetryAfter : null);
        }
        catch (BudgetExceededException e)
        {
            // Retrying before the reset cannot help: say when it resets, and tell OpenAI clients not to retry.
            var response = Refuse(record, e.Error, "budget_exceeded", retryAfter: e.ResetsAt - _time.GetUtcNow(), retryAfterCap: null);
            return response with { Headers = [.. response.Headers, new("x-should-retry", "false")] };
        }
        catch (OperationCanceledException) when (beforeDeadline.IsCancellationRequested)
        {
            // The invocation's deadline fired: the answer may never be delivered, but the request is still recorded.
            return Refuse(record, new RequestError(504, "the request reached the Lambda's deadline", null, "deadline_exceeded"), "timeout");
        }
        catch (Exception e)
        {
            // A bug or an unforeseen state: the client gets a 500 that says so, the record keeps the exception type,
            // and stderr the stack trace for whoever debugs it (never the message, which might quote the request).
            diagnostics.WriteLine($"router_error {record.RequestId}: {e.GetType().FullName}\n{e.StackTrace}");
            return Refuse(record, new RequestError(500, $"internal error in the router ({e.GetType().Name})", null, "router_error"), "router_error");
        }
        finally
        {
            record.LatencyMs = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            usage.Write(record);
        }
    }

    /// <summary>
    /// A request refused before it could become an event for <see cref="HandleAsync"/> (serve's body limit, a failure
    /// in serve itself): the same error response and exactly one record.
    /// </summary>
    public ApiGatewayResponse RefuseOutside(string requestId, string method, string path, RequestError error, string outcome)
    {
        var config = _routes.Config;
        var record = new UsageRecord
        {
            Timestamp = _time.GetUtcNow(),
            Stack = config.Stack,
            RequestId = requestId,
            HttpMethod = method,
            Path = Clip(path),
            PriceSource = config.Prices.Source.Name(),
            PriceAsOf = config.Prices.AsOf,
        };
        try
        {
            return Refuse(record, error, outcome);
        }
        finally
        {
            usage.Write(record);
        }
    }

    private async Task<ApiGatewayResponse> HandleCoreAsync(ReadOnlyMemory<byte> eventJson, InvocationInfo invocation, UsageRecord record, long started, CancellationToken cancellationToken)
    {
        ApiGatewayRequest gateway;
        try
        {
            gateway = ApiGatewayRequest.Parse(eventJson);
        }
        catch (JsonException)
        {
            throw new RequestErrorException(RequestError.Invalid("event", "the invocation payload is not JSON"));
        }
        catch (NotAProxyEventException e)
        {
            throw new RequestErrorException(RequestError.Invalid("event", e.Message));
        }
        catch (BodyFormatException e) when (e.Request is not null)
        {
            Describe(record, e.Request);
            Identify(e.Request, record);
            throw new RequestErrorException(RequestError.Invalid("body", e.Message["body: ".Length..]));
        }

        Describe(record, gateway);
        var app = Identify(gateway, record);
        var path = Normalize(gateway);
        if (path == ModelsPath)
        {
            RequireMethod(gateway, "GET");
            record.Status = 200;
            return ApiGatewayResponse.Json(200, OpenAiResponses.Models(_routes), [new("x-request-id", record.RequestId)]);
        }

        if (path != ChatPath)
        {
            throw new RequestErrorException(new RequestError(404, $"path: no such endpoint {Clip(gateway.Path)}; this API serves POST {ChatPath} and GET {ModelsPath}", "path", "not_found"));
        }

        RequireMethod(gateway, "POST");
        var request = ChatRequestParser.Parse(gateway.Body, _routes.Config.Limits);
        record.RequestedModel = Clip(request.Model);
        record.User = request.User ?? gateway.ClientId!;

        await selector.Ready.WaitAsync(cancellationToken);
        var decision = selector.Select(request, app);
        Apply(record, decision);
        record.ComplexityScore = decision.Score?.Value;
        if (_routes.Config.LogPrompts)
        {
            record.Prompt = string.Join("\n", decision.Messages.Select(m => $"[{m.Role}] {m.Text}"));
        }

        var reservation = await _budgets.ReserveAsync(app, decision.EstimatedCostUsd, record, cancellationToken);
        BackendReply reply;
        try
        {
            if (request.Stream && invocation.Stream is { } stream && _streamingBackends(decision.Route) is { CanStream: true } streamer
                && await TryStreamAsync(streamer, decision, request, record, reservation, stream, invocation.WholeAnswerDeadline, started, cancellationToken))
            {
                return ApiGatewayResponse.Streamed;
            }

            (reply, decision) = await CallWithFallbacksAsync(decision, request, app, invocation, record, reservation, cancellationToken);
        }
        catch
        {
            await reservation.ReleaseAsync();
            throw;
        }

        var cost = RequestCost.Usd(decision.Route.Prices, reply.Usage);
        await reservation.SettleAsync(cost);
        record.Status = 200;
        record.InputTokens = reply.Usage.InputTokens;
        record.OutputTokens = reply.Usage.OutputTokens;
        record.CacheReadTokens = reply.Usage.CacheReadTokens;
        record.CacheWriteTokens = reply.Usage.CacheWriteTokens;
        record.CostUsd = cost;
        record.FinishReason = reply.FinishReason;
        record.BackendLatencyMs = reply.BackendLatencyMs;
        if (_routes.Config.LogPrompts)
        {
            record.Completion = reply.Text;
        }

        // Whether Bedrock's inputTokens includes cached tokens is not documented: learn only from requests without them.
        if (reply.Usage.CacheReadTokens == 0 && reply.Usage.CacheWriteTokens == 0)
        {
            _calibration.Observe(TokenCalibration.Family(decision.Route.ModelId), decision.CountedInputTokens, reply.Usage.InputTokens);
        }

        ApiGatewayResponse response;
        if (request.Stream)
        {
            record.Stream = "sse_whole";
            var events = ChatCompletionChunks.Render(record.RequestId, record.Timestamp, decision.Route, reply, cost, decision.EstimatedCostUsd, request.IncludeUsage);
            response = ApiGatewayResponse.EventStream(200, events, Headers(record));
        }
        else
        {
            var body = OpenAiResponses.ChatCompletion(record.RequestId, record.Timestamp, decision.Route, reply, cost, decision.EstimatedCostUsd);
            response = ApiGatewayResponse.Json(200, body, Headers(record));
        }

        if (!response.FitsLambdaResponse())
        {
            // Lambda refuses a larger response and the gateway would answer 502 with no record of why; the answer was
            // paid for, so the record keeps its usage and cost.
            record.Outcome = "backend_error";
            record.ErrorCode = "response_too_large";
            record.Status = 502;
            record.ErrorMessage = $"the answer does not fit Lambda's {ApiGatewayResponse.MaxLambdaResponseBytes}-byte response limit";
            record.Completion = null;
            var error = new RequestError(502, record.ErrorMessage, null, "response_too_large");
            return ApiGatewayResponse.Json(502, OpenAiResponses.Error(error), Headers(record));
        }

        return response;
    }

    /// <summary>The call with retries, then each fallback in turn for failures that are not the client's.</summary>
    private async Task<(BackendReply Reply, RouteDecision Decision)> CallWithFallbacksAsync(
        RouteDecision decision, ChatRequest request, AppConfiguration app, InvocationInfo invocation, UsageRecord record, BudgetReservation reservation, CancellationToken cancellationToken)
    {
        // A streamed call that failed before its first byte was an attempt too.
        var attempts = new Counter(record.Attempts);
        var tried = new HashSet<string>(StringComparer.Ordinal) { decision.Route.Name };
        BackendReply reply;
        while (true)
        {
            try
            {
                // Nothing is sent before a whole answer: behind a streaming gateway it must beat the stream's idle timeout.
                reply = await caller.CallAsync(decision, request, invocation.WholeAnswerDeadline, attempts, cancellationToken);
                break;
            }
            catch (BackendException e) when (e.Kind is not FailureKind.Rejected && decision.Route.Fallback is { } fallbackName && tried.Add(fallbackName))
            {
                record.AddBackendFailure(decision.Route.Name, e.Reason);
                var next = selector.ForFallback(decision, request, app, _routes.Route(fallbackName), $"{decision.Route.Name} failed ({e.Reason})");
                if (next is null)
                {
                    record.Attempts = attempts.Value;
                    throw;
                }

                record.FallbackFrom ??= decision.Route.Name;
                decision = next;
                Apply(record, decision);
                record.Attempts = attempts.Value;
                // A fallback that could cost more than what is reserved reserves the difference first.
                await reservation.TopUpAsync(decision.EstimatedCostUsd, cancellationToken);
            }
            catch (BackendException e)
            {
                record.AddBackendFailure(decision.Route.Name, e.Reason);
                record.Attempts = attempts.Value;
                throw;
            }
        }

        record.Attempts = attempts.Value;
        return (reply, decision);
    }

    private static void Describe(UsageRecord record, ApiGatewayRequest gateway)
    {
        record.RequestId = gateway.RequestId ?? record.RequestId;
        record.HttpMethod = gateway.HttpMethod;
        record.Path = Clip(gateway.Path);
    }

    private AppConfiguration Identify(ApiGatewayRequest gateway, UsageRecord record)
    {
        if (string.IsNullOrEmpty(gateway.ClientId))
        {
            throw new RequestErrorException(new RequestError(401, "authorizer: the request carries no client_id claim; call through the API with an app token", "authorizer", "missing_app_identity"));
        }

        record.User = gateway.ClientId;
        var app = _routes.FindApp(gateway.ClientId);
        if (app is null)
        {
            record.App = "unknown";
            throw new RequestErrorException(new RequestError(403, "authorizer: this client is not an app of this stack", "authorizer", "unknown_app"));
        }

        record.App = app.Name;
        return app;
    }

    private static void Apply(UsageRecord record, RouteDecision decision)
    {
        record.Route = decision.Route.Name;
        record.Model = decision.Route.ModelId;
        record.Backend = decision.Route.Backend.Name();
        record.Reason = decision.Reason;
        record.CountedInputTokens = decision.CountedInputTokens;
        record.CalibrationRatio = decision.CalibrationRatio;
        record.EstimatedInputTokens = decision.EstimatedInputTokens;
        record.MaxOutputTokens = decision.MaxOutputTokens;
        record.EstimatedCostUsd = decision.EstimatedCostUsd;
        foreach (var hit in decision.LimitHits.Where(h => !record.LimitHits.Contains(h)))
        {
            record.LimitHits.Add(hit);
        }
    }

    private static string Normalize(ApiGatewayRequest gateway)
    {
        // The REST API's resource is the route template without the stage; path may carry a base-path mapping prefix.
        foreach (var candidate in new[] { gateway.Resource, gateway.Path })
        {
            if (candidate is null)
            {
                continue;
            }

            var trimmed = candidate.TrimEnd('/');
            if (trimmed.EndsWith(ChatPath, StringComparison.Ordinal))
            {
                return ChatPath;
            }

            if (trimmed.EndsWith(ModelsPath, StringComparison.Ordinal))
            {
                return ModelsPath;
            }
        }

        return gateway.Path;
    }

    private static void RequireMethod(ApiGatewayRequest gateway, string method)
    {
        if (!gateway.HttpMethod.Equals(method, StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestErrorException(new RequestError(405, $"method: {Clip(gateway.HttpMethod)} is not allowed here; use {method}", "method", "method_not_allowed"));
        }
    }

    private static ApiGatewayResponse Refuse(UsageRecord record, RequestError error, string outcome, RequestError? clientError = null, TimeSpan? retryAfter = null, double? retryAfterCap = 60)
    {
        record.Status = error.Status;
        record.Outcome = outcome;
        record.ErrorCode = error.Code;
        record.ErrorParam = error.Param;
        record.ErrorMessage = error.Message;
        var headers = Headers(record);
        if (error.Status == 429)
        {
            // The backend's own wait when it gave one (whole seconds, rounded up, at most a minute); else a second.
            var seconds = retryAfter is { } wait && wait > TimeSpan.Zero ? (long)Math.Ceiling(Math.Min(wait.TotalSeconds, retryAfterCap ?? double.MaxValue)) : 1;
            headers.Add(new("Retry-After", seconds.ToString(CultureInfo.InvariantCulture)));
        }

        return ApiGatewayResponse.Json(error.Status, OpenAiResponses.Error(clientError ?? error), headers);
    }

    private static List<KeyValuePair<string, string>> Headers(UsageRecord record) =>
    [
        new("x-request-id", record.RequestId),
        new("x-llm-cost-usd", record.CostUsd.ToString(CultureInfo.InvariantCulture)),
        new("x-llm-cost-estimated-usd", record.EstimatedCostUsd.ToString(CultureInfo.InvariantCulture)),
        new("x-llm-cost-route", record.Route),
        new("x-llm-cost-model", record.Model),
    ];

    /// <summary>The router's own words and the bounded reason code: never the backend's text (see <see cref="BackendException.Detail"/>).</summary>
    private static RequestError BackendError(BackendException e) => e.Kind switch
    {
        FailureKind.Throttled => new RequestError(429, $"the model backend is throttling; retry later ({e.Message})", null, "rate_limit_exceeded"),
        FailureKind.Timeout => new RequestError(504, $"the model backend did not answer in time ({e.Message})", null, "backend_timeout"),
        FailureKind.Rejected => new RequestError(400, $"the model backend rejected the request ({e.Message})", null, "backend_rejected"),
        FailureKind.Malformed => new RequestError(502, $"the model backend sent a malformed answer ({e.Message})", null, "backend_malformed_response"),
        FailureKind.NotConfigured => new RequestError(500, $"the router is not configured to call the backend: {e.Message}", null, "router_not_configured"),
        _ => new RequestError(502, $"the model backend failed ({e.Message})", null, "backend_error"),
    };

    private static string Outcome(BackendException e) => e.Kind switch
    {
        FailureKind.Throttled => "throttled",
        FailureKind.Timeout => "timeout",
        FailureKind.Rejected => "client_error",
        FailureKind.NotConfigured => "router_error",
        _ => "backend_error",
    };

    private static string Clip(string text) => text.Length <= MaxRecordedModelChars ? text : text[..MaxRecordedModelChars] + "...";
}
