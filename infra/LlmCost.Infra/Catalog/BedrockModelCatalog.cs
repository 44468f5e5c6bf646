using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmCost.Infra.Catalog;

/// <summary>
/// What Bedrock offers: per region, whether a model is invocable on demand and through which system-defined
/// cross-region inference profiles (by geography prefix: us, eu, apac, jp, global), and each model's lifecycle.
/// The embedded snapshot (<c>bedrock-models.json</c>) is dated and cites its sources per model.
/// </summary>
internal sealed record BedrockModelCatalog(string AsOf, string Note, IReadOnlyList<CatalogModel> Models, LlmCost.CostModel.Vocabulary.PriceOriginKind Origin = LlmCost.CostModel.Vocabulary.PriceOriginKind.Snapshot)
{
    public static BedrockModelCatalog Embedded { get; } = Load();

    public CatalogModel? Find(string model) => Models.FirstOrDefault(m => m.Model == model);

    private static BedrockModelCatalog Load()
    {
        using var stream = typeof(BedrockModelCatalog).Assembly.GetManifestResourceStream("LlmCost.Infra.Catalog.bedrock-models.json")
            ?? throw new InvalidOperationException("The embedded Bedrock model catalog is missing from the build.");
        return JsonSerializer.Deserialize(stream, CatalogJsonContext.Default.BedrockModelCatalog)
            ?? throw new InvalidOperationException("The embedded Bedrock model catalog is empty.");
    }
}

/// <param name="Lifecycle">ACTIVE or LEGACY as the API reports it; UNVERIFIED where no source was found.</param>
/// <param name="EndOfLifeDate">After this date the model is no longer invocable.</param>
internal sealed record CatalogModel(string Model, string Lifecycle, string? LegacyDate, string? EndOfLifeDate, IReadOnlyList<string> Sources, IReadOnlyList<CatalogOffer> Regions)
{
    public CatalogOffer? In(string region) => Regions.FirstOrDefault(r => r.Region == region);
}

/// <param name="Profiles">Geographies of the system-defined cross-region inference profiles callable from this region.</param>
internal sealed record CatalogOffer(string Region, bool OnDemand, IReadOnlyList<string> Profiles);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BedrockModelCatalog))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
