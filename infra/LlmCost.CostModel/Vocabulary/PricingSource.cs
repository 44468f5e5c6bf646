using System.Text.Json.Serialization;

namespace LlmCost.CostModel.Vocabulary;

/// <summary>Where a stack asks for its plan-time prices (<c>llm-cost:pricing.source</c>).</summary>
[JsonConverter(typeof(PricingSourceJsonConverter))]
public enum PricingSource
{
    /// <summary>The Price List and Savings Plans APIs, falling back to the cache, then the snapshot, and saying so.</summary>
    Live,

    /// <summary>The embedded, dated snapshot only.</summary>
    Snapshot,

    /// <summary>The live APIs or nothing: the plan fails rather than fall back.</summary>
    LiveRequired,
}

public static class PricingSources
{
    public static readonly Vocabulary<PricingSource> Vocabulary = new((PricingSource.Live, "live"), (PricingSource.Snapshot, "snapshot"), (PricingSource.LiveRequired, "live-required"));

    public static string Name(this PricingSource value) => Vocabulary.Name(value);
}

public sealed class PricingSourceJsonConverter() : VocabularyJsonConverter<PricingSource>(PricingSources.Vocabulary);
