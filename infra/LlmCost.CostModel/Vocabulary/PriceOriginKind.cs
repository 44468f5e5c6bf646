using System.Text.Json.Serialization;

namespace LlmCost.CostModel.Vocabulary;

/// <summary>Where a figure's price actually came from; travels with every figure into plans and usage records.</summary>
[JsonConverter(typeof(PriceOriginKindJsonConverter))]
public enum PriceOriginKind
{
    Live,
    Cache,
    Snapshot,
}

public static class PriceOriginKinds
{
    public static readonly Vocabulary<PriceOriginKind> Vocabulary = new((PriceOriginKind.Live, "live"), (PriceOriginKind.Cache, "cache"), (PriceOriginKind.Snapshot, "snapshot"));

    public static string Name(this PriceOriginKind value) => Vocabulary.Name(value);
}

public sealed class PriceOriginKindJsonConverter() : VocabularyJsonConverter<PriceOriginKind>(PriceOriginKinds.Vocabulary);
