using System.Globalization;
using System.Text;
using LlmCost.CostModel;
using LlmCost.Router.Backends;
using LlmCost.Router.Budgets;
using LlmCost.Router.Chat;
using LlmCost.Router.Routing;
using LlmCost.Router.Streaming;
using LlmCost.Router.Tokens;
using LlmCost.Router.Usage;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Router.Handling;

/// <summary>
/// <c>stream: true</c> where the invocation has somewhere to stream to and the route's backend streams (Bedrock
/// ConverseStream; the fleet through SageMaker InvokeEndpointWithResponseStream or an ECS service's OpenAI SSE): the
/// backend's stream decoded as it arrives, each text delta forwarded at once as an OpenAI chunk, the usage chunk and
/// <c>[DONE]</c> at the end, and the record (written once, by <see cref="HandleAsync"/>'s finally) with the reported
/// usage, time to first token and whether the client went away. Nothing goes to the client before the first text (the
/// status and headers go with it), so until then a failure falls back to the buffered path (retries, fallback routes);
/// after it, nothing can be taken back, so a failure ends the client's stream with an error event.
/// </summary>
internal sealed partial class RouterHandler
{
    /// <summary>
    /// The router counts forwarded text with o200k_base, which is not the model's tokenizer; beyond the cap by this
    /// much the backend has plainly ignored the maxTokens it was sent (the same slack the reported usage is held to).
    /// </summary>
    public const int StreamCapSlackTokens = UsageCheck.OutputSlackTokens;

    /// <param name="firstByteBy">When the first text must have come (an answer sent whole would have to be ready then
    /// too): behind the streaming gateway, the stream's idle timeout. The same allowance then holds between writes: a
    /// stream silent that long has been closed by the gateway, so the backend call stops rather than run to the deadline
    /// (Lambda bills a streamed invocation to its end, client or not).</param>
    /// <returns>True when the answer went out through <paramref name="stream"/>; false when the backend failed before
    /// anything was sent and the buffered path should serve (the failure is in the record).</returns>
    private async Task<bool> TryStreamAsync(
        IStreamingBackend backend, RouteDecision decision, ChatRequest request, UsageRecord record, BudgetReservation reservation, IResponseStream stream,
        DateTimeOffset firstByteBy, long started, CancellationToken cancellationToken)
    {
        var allowance = firstByteBy - _time.GetUtcNow();
        allowance = allowance < TimeSpan.Zero ? TimeSpan.Zero : allowance < TimeSpan.FromDays(1) ? allowance : Timeout.InfiniteTimeSpan;
        using var silence = new CancellationTokenSource(allowance, _time);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stream.Gone, silence.Token);
        record.Attempts += 1;
        HttpResponseMessage open;
        try
        {
            open = await backend.OpenStreamAsync(decision, request, call.Token);
        }
        catch (BackendException e) when (e.Kind != FailureKind.Rejected)
        {
            // Nothing sent yet: the buffered path retries and falls back as for any request.
            record.AddBackendFailure(decision.Route.Name, e.Reason);
            caller.Observe(decision, e);
            return false;
        }
        catch (OperationCanceledException) when (silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            record.AddBackendFailure(decision.Route.Name, FailureReasons.Timeout);
            return false;
        }

        using (open)
        {
            var events = new ChunkEvents(record.RequestId, record.Timestamp, decision.Route, request.IncludeUsage);
            var forwardedTokens = 0L;
            string? stopReason = null;
            StreamMetadata? metadata = null;
            var text = _routes.Config.LogPrompts ? new StringBuilder() : null;
            StreamEnd? end = null;
            BackendException? failure = null;
            try
            {
                await using var body = await open.Content.ReadAsStreamAsync(call.Token);
                await foreach (var e in backend.ReadAsync(body, call.Token))
                {
                    switch (e)
                    {
                        case TextDelta { Text.Length: > 0 } delta:
                            forwardedTokens += _counter.Count(delta.Text);
                            if (forwardedTokens > decision.MaxOutputTokens + StreamCapSlackTokens)
                            {
                                // The backend went past the cap it was sent: stop forwarding and stop paying for more.
                                end = StreamEnd.OutputCap;
                                break;
                            }

                            text?.Append(delta.Text);
                            if (!stream.Started)
                            {
                                // The status and headers, the role chunk and the first text in one go: two small writes in a
                                // row can wait out the reader's delayed ACK (about 40 ms) where the transport keeps Nagle on.
                                await StartAsync(stream, decision, record, cancellationToken);
                                record.TimeToFirstTokenMs = (long)_time.GetElapsedTime(started).TotalMilliseconds;
                                await stream.WriteAsync((byte[])[.. events.Role(), .. events.Content(delta.Text)], cancellationToken);
                            }
                            else
                            {
                                await stream.WriteAsync(events.Content(delta.Text), cancellationToken);
                            }

                            silence.CancelAfter(allowance);

                            break;
                        case MessageStop stop:
                            stopReason = stop.StopReason;
                            break;
                        case StreamMetadata m:
                            metadata = m;
                            break;
                    }

                    if (end is not null)
                    {
                        break;
                    }
                }
            }
            catch (ClientGoneException)
            {
                end = StreamEnd.ClientGone;
            }
            catch (BackendException e)
            {
                failure = e;
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                failure = new BackendException(FailureKind.Connection, "connection_lost", $"the connection to {decision.Route.Backend.Name()} dropped mid-stream", reason: FailureReasons.StreamInterrupted);
            }
            catch (OperationCanceledException) when (stream.Gone.IsCancellationRequested)
            {
                end = StreamEnd.ClientGone;
            }
            catch (OperationCanceledException) when (silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                failure = new BackendException(FailureKind.Timeout, "stream_silent", $"no text from {decision.Route.Backend.Name()} within the stream's idle timeout", reason: FailureReasons.Timeout);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                failure = new BackendException(FailureKind.Timeout, "deadline", "the stream reached the Lambda's deadline", reason: FailureReasons.Timeout);
            }

            // Leaving the loop early closes the backend's connection (the enumerator and the response are disposed):
            // Bedrock stops generating, and billing, for a client that is gone or a stream over its cap.
            await call.CancelAsync();
            if (failure is null && end is null && (stopReason is null || metadata is null))
            {
                failure = new BackendException(FailureKind.Malformed, "stream_truncated", $"{decision.Route.Backend.Name()}'s stream ended without its stop and usage events", reason: FailureReasons.StreamInterrupted);
            }

            if (failure is null && end is null)
            {
                try
                {
                    UsageCheck.Verify(metadata!.Usage, decision.MaxOutputTokens);
                }
                catch (BackendException e)
                {
                    failure = e;
                }
            }

            if (failure is not null)
            {
                caller.Observe(decision, failure);
                if (!stream.Started)
                {
                    // Nothing sent yet (a stream that broke, or carried an exception, before its first text): the
                    // buffered path retries and falls back as for any failed call; a refused request is the client's 400.
                    record.AddBackendFailure(decision.Route.Name, failure.Reason);
                    return failure.Kind == FailureKind.Rejected ? throw failure : false;
                }
            }

            if (failure is null && end is null)
            {
                caller.Observe(decision, null);
                await StartAsync(stream, decision, record, cancellationToken);
                if (record.TimeToFirstTokenMs is null)
                {
                    await TryWriteAsync(stream, events.Role(), cancellationToken);
                }

                await CompleteAsync(decision, record, reservation, stream, events, request, metadata!, stopReason!, text);
                return true;
            }

            // Cut: the backend reported no usage, so the record and the budget carry the router's estimate (the
            // estimated input and the output counted as forwarded (capped at the cap plus its slack).
            record.Stream = "sse";
            record.StreamEnd = end;
            record.StreamFailureReason = end is null ? failure!.Reason : null;
            record.ClientGone = end == StreamEnd.ClientGone;
            record.UsageEstimated = true;
            var estimated = new TokenUsage(decision.EstimatedInputTokens, Math.Min(forwardedTokens, decision.MaxOutputTokens + StreamCapSlackTokens), 0, 0);
            var cost = RequestCost.Usd(decision.Route.Prices, estimated);
            await reservation.SettleAsync(cost);
            record.InputTokens = estimated.InputTokens;
            record.OutputTokens = estimated.OutputTokens;
            record.CostUsd = cost;
            record.Completion = text?.ToString();
            if (end == StreamEnd.OutputCap)
            {
                record.FinishReason = "length";
                record.LimitHits.Add("output_cap_stream");
                await StartAsync(stream, decision, record, cancellationToken);
                await TryWriteAsync(stream, record.TimeToFirstTokenMs is null ? [.. events.Role(), .. events.Finish("length")] : events.Finish("length"), cancellationToken);
                await TryWriteAsync(stream, ChunkEvents.Done, cancellationToken);
            }
            else if (failure is not null)
            {
                record.AddBackendFailure(decision.Route.Name, failure.Reason);
                record.Outcome = failure.Kind == FailureKind.Timeout ? RequestOutcome.Timeout : RequestOutcome.BackendError;
                record.ErrorCode = "stream_interrupted";
                record.ErrorMessage = $"the stream from the model backend broke after it began ({failure.Message})";
                var error = new RequestError(502, record.ErrorMessage, null, "stream_interrupted");
                await TryWriteAsync(stream, ChunkEvents.Error(error), cancellationToken);
            }
            else
            {
                record.Outcome = RequestOutcome.ClientGone;
            }

            return true;
        }
    }

    /// <summary>The status and headers, once: they go out with the first text (or the end of a stream that had none).</summary>
    private static async Task StartAsync(IResponseStream stream, RouteDecision decision, UsageRecord record, CancellationToken cancellationToken)
    {
        if (stream.Started)
        {
            return;
        }

        await stream.StartAsync(200,
        [
            new("Content-Type", ChatCompletionChunks.ContentType),
            new("Cache-Control", "no-cache"),
            new("x-request-id", record.RequestId),
            new("x-llm-cost-estimated-usd", decision.EstimatedCostUsd.ToString(CultureInfo.InvariantCulture)),
            new("x-llm-cost-route", decision.Route.Name),
            new("x-llm-cost-model", decision.Route.ModelId),
        ], cancellationToken);
        record.Stream = "sse";
        record.Status = 200;
    }

    private async Task CompleteAsync(
        RouteDecision decision, UsageRecord record, BudgetReservation reservation, IResponseStream stream, ChunkEvents events, ChatRequest request,
        StreamMetadata metadata, string stopReason, StringBuilder? text)
    {
        var usage = metadata.Usage;
        var cost = RequestCost.Usd(decision.Route.Prices, usage);
        await reservation.SettleAsync(cost);
        var finish = FinishReasons.FromBackend(stopReason);
        record.InputTokens = usage.InputTokens;
        record.OutputTokens = usage.OutputTokens;
        record.CacheReadTokens = usage.CacheReadTokens;
        record.CacheWriteTokens = usage.CacheWriteTokens;
        record.CostUsd = cost;
        record.FinishReason = finish;
        record.BackendLatencyMs = metadata.LatencyMs;
        record.StreamEnd = StreamEnd.Completed;
        record.ClientGone = false;
        record.Completion = text?.ToString();
        if (usage.CacheReadTokens == 0 && usage.CacheWriteTokens == 0)
        {
            _calibration.Observe(TokenCalibration.Family(decision.Route.ModelId), decision.CountedInputTokens, usage.InputTokens);
        }

        try
        {
            await stream.WriteAsync(events.Finish(finish), CancellationToken.None);
            if (request.IncludeUsage)
            {
                await stream.WriteAsync(events.Usage(usage, cost, decision.EstimatedCostUsd), CancellationToken.None);
            }

            await stream.WriteAsync(ChunkEvents.Done, CancellationToken.None);
        }
        catch (ClientGoneException)
        {
            // The answer was paid for in full; only its last events were lost.
            record.ClientGone = true;
            record.StreamEnd = StreamEnd.ClientGone;
        }
    }

    private static async Task TryWriteAsync(IResponseStream stream, byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(bytes, CancellationToken.None);
        }
        catch (ClientGoneException)
        {
        }
    }
}
