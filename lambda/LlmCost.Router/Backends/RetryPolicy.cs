using LlmCost.Aws;

namespace LlmCost.Router.Backends;

/// <summary>
/// Retries as the AWS SDKs' standard mode does (3 attempts, exponential backoff with full jitter), bounded by the
/// Lambda's remaining time: no attempt starts that could not finish before the deadline less what the router needs
/// to record and respond.
/// </summary>
internal sealed record RetryPolicy(
    int MaxAttempts,
    Backoff Backoff,
    TimeSpan ResponseReserve,
    TimeSpan MinAttemptTime,
    TimeSpan FallbackReserve)
{
    public static RetryPolicy Default { get; } = new(
        MaxAttempts: 3,
        Backoff: new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), Backoff.RandomJitter),
        ResponseReserve: TimeSpan.FromMilliseconds(300),
        MinAttemptTime: TimeSpan.FromMilliseconds(500),
        FallbackReserve: TimeSpan.FromSeconds(5));
}
