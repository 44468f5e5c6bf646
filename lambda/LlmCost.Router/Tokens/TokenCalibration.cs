using System.Collections.Concurrent;

namespace LlmCost.Router.Tokens;

/// <summary>
/// Learns, per model family, the ratio of the backend's reported input tokens to our <c>o200k_base</c> count, as
/// requests flow (an exponentially weighted mean, so a few requests settle it and a changed tokenizer shows quickly).
/// The calibrated estimate drives limits and the pre-call cost. State lives for the execution environment's lifetime.
/// </summary>
internal sealed class TokenCalibration
{
    /// <summary>Weight of each new observation.</summary>
    public const double Alpha = 0.2;

    /// <summary>Below this many counted tokens the per-message framing dominates and the ratio says little about the tokenizer.</summary>
    public const int MinCountedTokens = 32;

    /// <summary>A ratio outside this band is a misreport or a mismatched request, not a tokenizer difference.</summary>
    public const double MinRatio = 0.5;

    public const double MaxRatio = 2.5;

    private readonly ConcurrentDictionary<string, Observation> _ratios = new(StringComparer.Ordinal);

    public double Ratio(string family) => _ratios.TryGetValue(family, out var o) ? o.Ratio : 1.0;

    public int Samples(string family) => _ratios.TryGetValue(family, out var o) ? o.Samples : 0;

    public int Estimate(string family, int counted) => (int)Math.Ceiling(counted * Ratio(family));

    /// <summary>Feeds one request's figures; returns whether they were used.</summary>
    public bool Observe(string family, int counted, long reportedInput)
    {
        if (counted < MinCountedTokens || reportedInput <= 0)
        {
            return false;
        }

        var ratio = (double)reportedInput / counted;
        if (ratio is < MinRatio or > MaxRatio)
        {
            return false;
        }

        _ratios.AddOrUpdate(
            family,
            _ => new Observation(ratio, 1),
            (_, old) => new Observation(old.Ratio + (Alpha * (ratio - old.Ratio)), old.Samples + 1));
        return true;
    }

    /// <summary>
    /// The family a model ID belongs to: tokenizers are shared within a vendor's model line, so
    /// <c>us.anthropic.claude-3-7-sonnet-20250219-v1:0</c> and <c>anthropic.claude-3-5-haiku…</c> share "anthropic.claude".
    /// </summary>
    public static string Family(string modelId)
    {
        var id = modelId;
        var slash = id.LastIndexOf('/');
        if (slash >= 0)
        {
            id = id[(slash + 1)..];
        }

        var parts = id.Split('.');
        if (parts.Length >= 3 && parts[0] is "us" or "eu" or "apac" or "global" or "jp" or "au" or "ca" or "us-gov")
        {
            parts = parts[1..];
        }

        if (parts.Length >= 2 && parts[0].All(char.IsAsciiLetterLower))
        {
            // vendor.model-line: "meta.llama3-1-8b…" -> "meta.llama3", "amazon.nova-lite…" -> "amazon.nova".
            return parts[0] + "." + Leading(parts[1]);
        }

        return Leading(id);
    }

    private static string Leading(string name)
    {
        var dash = name.IndexOf('-');
        return dash > 0 ? name[..dash] : name;
    }

    private sealed record Observation(double Ratio, int Samples);
}
