namespace LlmCost.Router.Backends;

/// <summary>
/// Retries as the AWS SDKs' standard mode does (3 attempts, exponential backoff with full jitter), bounded by the
/// Lambda's remaining time: no attempt starts that could not finish before the deadline less what the router needs
/// to record and respond.
/// </summary>
/// <param name="Jitter">A number in [0, 1): random in production, fixed in tests.</param>
internal sealed record RetryPolicy(
    int MaxAttempts,
    TimeSpan BaseDelay,
    TimeSpan MaxDelay,
    TimeSpan ResponseReserve,
    TimeSpan MinAttemptTime,
    TimeSpan FallbackReserve,
    Func<double> Jitter)
{
    public static RetryPolicy Default { get; } = new(
        MaxAttempts: 3,
        BaseDelay: TimeSpan.FromMilliseconds(100),
        MaxDelay: TimeSpan.FromSeconds(2),
        ResponseReserve: TimeSpan.FromMilliseconds(300),
        MinAttemptTime: TimeSpan.FromMilliseconds(500),
        FallbackReserve: TimeSpan.FromSeconds(5),
        Jitter: Random.Shared.NextDouble);

    /// <summary>Full jitter: uniform in [0, min(max, base x 2^(attempt-1))); a Retry-After the server sent is a floor.</summary>
    public TimeSpan DelayBefore(int nextAttempt, TimeSpan? retryAfter)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, nextAttempt - 2));
        var delay = TimeSpan.FromMilliseconds(ceiling * Jitter());
        return retryAfter is { } floor && floor > delay ? floor : delay;
    }
}
