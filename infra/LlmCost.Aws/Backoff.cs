namespace LlmCost.Aws;

/// <summary>
/// The one wait between attempts for every AWS call this codebase makes (plan-time price and catalog APIs, the
/// router's backends): exponential backoff with full jitter, as the AWS SDKs' standard retry mode does ("Exponential
/// Backoff And Jitter", AWS Architecture Blog). A wait the server asked for (Retry-After) is a floor.
/// </summary>
/// <param name="Jitter">A number in [0, 1) per wait: <see cref="RandomJitter"/> in production, fixed in tests.</param>
public sealed record Backoff(TimeSpan BaseDelay, TimeSpan MaxDelay, Func<double> Jitter)
{
    public static Func<double> RandomJitter { get; } = Random.Shared.NextDouble;

    /// <summary>The wait after failed attempt <paramref name="failedAttempt"/> (1-based): uniform in [0, min(max, base x 2^(n-1))).</summary>
    public TimeSpan After(int failedAttempt, TimeSpan? retryAfter = null)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, failedAttempt - 1));
        var delay = TimeSpan.FromMilliseconds(ceiling * Jitter());
        return retryAfter is { } floor && floor > delay ? floor : delay;
    }
}
