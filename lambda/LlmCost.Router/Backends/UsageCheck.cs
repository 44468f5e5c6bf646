using LlmCost.CostModel;

namespace LlmCost.Router.Backends;

/// <summary>
/// The usage a backend reports is what the request is billed at, so an impossible figure is not priced: it makes the
/// answer a backend failure (<see cref="FailureReasons.UsageImplausible"/>, not retried, the fallback may serve), rather
/// than being clamped, because a clamped figure would be a cost nobody measured.
/// </summary>
internal static class UsageCheck
{
    /// <summary>No model takes or produces more than this in one request (the largest context windows are 1-2M tokens).</summary>
    public const long MaxTokensPerCount = 10_000_000;

    /// <summary>
    /// Output over twice the cap the router sent (plus a little for tokenizer differences) means the backend ignored
    /// the cap or reported nonsense.
    /// </summary>
    public const int OutputSlackTokens = 64;

    public static void Verify(TokenUsage usage, int maxOutputTokens)
    {
        long[] counts = [usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.CacheWriteTokens];
        if (counts.Any(c => c < 0 || c > MaxTokensPerCount))
        {
            throw Implausible($"a token count outside 0-{MaxTokensPerCount}");
        }

        if (usage.OutputTokens > 2L * maxOutputTokens + OutputSlackTokens)
        {
            throw Implausible($"{usage.OutputTokens} output tokens for a cap of {maxOutputTokens}");
        }
    }

    private static BackendException Implausible(string what) =>
        new(FailureKind.Malformed, "usage_implausible", $"the backend reported impossible usage ({what})", reason: FailureReasons.UsageImplausible);
}
