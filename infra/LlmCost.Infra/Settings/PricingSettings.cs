using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Settings;

/// <summary>Where plan-time prices come from.</summary>
/// <param name="Source"><c>live</c> (default: Price List and Savings Plans APIs, falling back to the cache, then the snapshot, and saying so), <c>snapshot</c>, or <c>live-required</c> (fail instead of falling back).</param>
/// <param name="CacheHours">How long fetched prices are reused before asking AWS again (default 24).</param>
/// <param name="DeadlineSeconds">Total time the live fetch may take, retries included (default 20).</param>
internal sealed record PricingSettings(PricingSource Source, int CacheHours, int DeadlineSeconds)
{
    public const string Key = StackFileReader.ProjectNamespace + ":pricing";
    public const PricingSource DefaultSource = PricingSource.Live;
    public const int DefaultCacheHours = 24;
    public const int DefaultDeadlineSeconds = 20;
}

/// <summary>Reads <c>Pricing</c> settings; stops at the first bad key, naming it.</summary>
internal static class PricingSettingsReader
{
    public static PricingSettings Read(ConfigNode node)
    {
        var settings = new PricingSettings(
            Source: node.OneOf("source", PricingSettings.DefaultSource, PricingSources.Vocabulary),
            CacheHours: node.Int("cacheHours", PricingSettings.DefaultCacheHours, 0, 24 * 30),
            DeadlineSeconds: node.Int("deadlineSeconds", PricingSettings.DefaultDeadlineSeconds, 1, 300));
        node.RejectUnknown();
        return settings;
    }
}
