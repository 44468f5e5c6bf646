using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmCost.Infra.Pricing;

/// <summary>One Bedrock model's on-demand token prices in one region, with the source of the figures.</summary>
public sealed record BedrockPrice(string Region, string Model, decimal InputPer1M, decimal OutputPer1M, decimal? CacheReadPer1M, decimal? CacheWritePer1M, string Source);

/// <summary>One instance type's on-demand hourly price in one region.</summary>
public sealed record InstancePrice(string Region, string Platform, string InstanceType, decimal Hourly, string Source);

/// <summary>The dated price snapshot embedded in the program: what offline plans and tests price with.</summary>
public sealed record PriceSnapshot(string AsOf, string Note, IReadOnlyList<BedrockPrice> Bedrock, IReadOnlyList<InstancePrice> Instances)
{
    public static PriceSnapshot Embedded { get; } = Load();

    public BedrockPrice? FindBedrock(string region, string model) =>
        Bedrock.FirstOrDefault(p => p.Region == region && p.Model == model);

    public InstancePrice? FindInstance(string region, string platform, string instanceType) =>
        Instances.FirstOrDefault(p => p.Region == region && p.Platform == platform && p.InstanceType == instanceType);

    private static PriceSnapshot Load()
    {
        using var stream = typeof(PriceSnapshot).Assembly.GetManifestResourceStream("LlmCost.Infra.Pricing.price-snapshot.json")
            ?? throw new InvalidOperationException("The embedded price snapshot is missing from the build.");
        return JsonSerializer.Deserialize(stream, PricingJsonContext.Default.PriceSnapshot)
            ?? throw new InvalidOperationException("The embedded price snapshot is empty.");
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PriceSnapshot))]
internal sealed partial class PricingJsonContext : JsonSerializerContext;
