using LlmCost.Router.Chat;
using LlmCost.Router.Routing;
using LlmCost.CostModel;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Router.Backends;

/// <summary>
/// Calls a route's backend with retries inside the Lambda's remaining time, and tells <see cref="FleetHealth"/> what
/// the fleet did. A throttled fleet is not retried: its requests go to the fallback at once (that is what the
/// fallback is for, and retrying adds load to a fleet that is already saturated).
/// </summary>
internal sealed class BackendCaller(Func<RouteConfiguration, IChatBackend> backends, FleetHealth fleet, RetryPolicy policy, TimeProvider time)
{
    /// <summary>The reply, or the last failure; <paramref name="attempts"/> counts every attempt made.</summary>
    public async Task<BackendReply> CallAsync(RouteDecision decision, ChatRequest request, DateTimeOffset deadline, Counter attempts, CancellationToken cancellationToken)
    {
        var backend = backends(decision.Route);
        var isFleet = decision.Route.Backend == Backend.Fleet;
        var reserve = policy.ResponseReserve + (decision.Route.Fallback is null ? TimeSpan.Zero : policy.FallbackReserve);
        for (var attempt = 1; ; attempt++)
        {
            var budget = deadline - time.GetUtcNow() - reserve;
            if (budget < policy.MinAttemptTime)
            {
                // Nearly out of time: use what is left rather than none, if there is enough for one honest attempt.
                budget = deadline - time.GetUtcNow() - policy.ResponseReserve;
                if (budget < policy.MinAttemptTime)
                {
                    throw new BackendException(FailureKind.Timeout, "deadline", $"no time left for attempt {attempt} before the Lambda's deadline");
                }
            }

            attempts.Increment();
            try
            {
                // The attempt's own budget is a separate source, so a budget that ran out is told apart from the
                // invocation's deadline however late this code gets to run on a loaded machine.
                using var attemptBudget = new CancellationTokenSource(budget, time);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptBudget.Token);
                BackendReply reply;
                try
                {
                    reply = await backend.SendAsync(decision, request, timeout.Token);
                }
                catch (OperationCanceledException) when (attemptBudget.IsCancellationRequested)
                {
                    throw new BackendException(FailureKind.Timeout, "timeout", $"{decision.Route.Backend.Name()} did not answer within {budget.TotalMilliseconds:0} ms");
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && e.InnerException is TimeoutException)
                {
                    // The HTTP handler's connect timeout also surfaces as a cancellation: a connection failure, and retryable.
                    throw new BackendException(FailureKind.Connection, "connection", $"{decision.Route.Backend.Name()}: could not connect ({e.InnerException.Message})");
                }

                UsageCheck.Verify(reply.Usage, decision.MaxOutputTokens);
                if (isFleet)
                {
                    fleet.Succeeded(decision.InvokeId);
                }

                return reply;
            }
            catch (BackendException e)
            {
                if (isFleet)
                {
                    Report(decision.InvokeId, e);
                }

                var last = attempt >= policy.MaxAttempts || !e.Retryable || (isFleet && e.Kind == FailureKind.Throttled && decision.Route.Fallback is not null);
                if (last)
                {
                    throw;
                }

                var delay = policy.Backoff.After(attempt, e.RetryAfter);
                if (time.GetUtcNow() + delay + policy.MinAttemptTime + policy.ResponseReserve > deadline)
                {
                    throw;
                }

                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    /// <summary>A streamed call's outcome (null: it completed), told to fleet health as a whole call's is.</summary>
    public void Observe(RouteDecision decision, BackendException? failure)
    {
        if (decision.Route.Backend != Backend.Fleet)
        {
            return;
        }

        if (failure is null)
        {
            fleet.Succeeded(decision.InvokeId);
        }
        else
        {
            Report(decision.InvokeId, failure);
        }
    }

    private void Report(string endpoint, BackendException e)
    {
        switch (e.Kind)
        {
            case FailureKind.Throttled:
                fleet.Throttled(endpoint, e.RetryAfter);
                break;
            case FailureKind.ServerError or FailureKind.Timeout or FailureKind.Connection or FailureKind.Malformed:
                fleet.Failed(endpoint, e.Reason);
                break;
            case FailureKind.Failed:
                // A missing endpoint or denied access does not heal in a second: take the fleet out at once.
                fleet.Failed(endpoint, e.Reason, openNow: e.Reason is FailureReasons.EndpointNotFound or FailureReasons.ModelAccessDenied or FailureReasons.BackendMisconfigured);
                break;
        }
    }
}

/// <summary>A mutable count shared between the caller and the record (attempts across retries and fallbacks).</summary>
internal sealed class Counter(int start = 0)
{
    public int Value { get; private set; } = start;

    public void Increment() => Value++;
}
