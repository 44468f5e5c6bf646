using System.Collections.Concurrent;

namespace LlmCost.Router.Routing;

/// <summary>
/// What this execution environment has seen of each fleet endpoint: a throttle takes the fleet out of routing for a
/// short cool-off (or what Retry-After asks); <see cref="FailuresToOpen"/> failures in a row (5xx, timeouts, broken
/// answers) take it out for <see cref="OpenFor"/>. While out, requests go to the route's Bedrock fallback. The first
/// request after the window probes the fleet again. No shared state: each Lambda environment learns on its own.
/// </summary>
internal sealed class FleetHealth(TimeProvider time)
{
    public const int FailuresToOpen = 3;
    public static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ThrottleCoolOff = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>Null when the fleet may be used; otherwise why not.</summary>
    public string? Unavailable(string endpoint)
    {
        if (!_states.TryGetValue(endpoint, out var state) || state.Until is not { } until)
        {
            return null;
        }

        var now = time.GetUtcNow();
        return now < until ? $"{state.Why} until {until:HH:mm:ss}Z" : null;
    }

    public void Throttled(string endpoint, TimeSpan? retryAfter)
    {
        var wait = retryAfter is { } r && r > TimeSpan.Zero ? (r < MaxRetryAfter ? r : MaxRetryAfter) : ThrottleCoolOff;
        _states.AddOrUpdate(endpoint,
            _ => new State(0, time.GetUtcNow() + wait, "throttled"),
            (_, s) => s with { Until = time.GetUtcNow() + wait, Why = "throttled" });
    }

    /// <param name="openNow">Take the fleet out at once (a failure that will not heal by itself, such as a missing endpoint).</param>
    public void Failed(string endpoint, string why, bool openNow = false)
    {
        var first = openNow ? FailuresToOpen : 1;
        _states.AddOrUpdate(endpoint,
            _ => first >= FailuresToOpen ? new State(first, time.GetUtcNow() + OpenFor, $"unhealthy ({why})") : new State(1, null, why),
            (_, s) =>
            {
                var failures = openNow ? Math.Max(s.ConsecutiveFailures + 1, FailuresToOpen) : s.ConsecutiveFailures + 1;
                return failures >= FailuresToOpen
                    ? new State(failures, time.GetUtcNow() + OpenFor, $"unhealthy ({failures} failures in a row, last: {why})")
                    : s with { ConsecutiveFailures = failures };
            });
    }

    public void Succeeded(string endpoint) => _states.TryRemove(endpoint, out _);

    private sealed record State(int ConsecutiveFailures, DateTimeOffset? Until, string Why);
}
