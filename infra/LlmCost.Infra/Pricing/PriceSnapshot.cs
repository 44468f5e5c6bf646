using System.Text.Json;
using System.Text.Json.Serialization;
using LlmCost.CostModel;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Pricing;

/// <summary>One Bedrock model's on-demand token prices in one region, with the source of the figures.</summary>
internal sealed record BedrockPrice(string Region, string Model, decimal InputPer1M, decimal OutputPer1M, decimal? CacheReadPer1M, decimal? CacheWritePer1M, string Source);

/// <summary>One instance type's on-demand hourly price in one region.</summary>
internal sealed record InstancePrice(string Region, FleetPlatform Platform, string InstanceType, decimal Hourly, string Source);

/// <summary>A Savings Plan discount prior, used only where no rate was fetched: labelled as an estimate.</summary>
internal sealed record SavingsPlanDiscount(string PlanType, int TermYears, string PaymentOption, decimal Discount, string Source);

/// <summary>A per-unit price of a supporting service (gateway, Lambda, logs).</summary>
internal sealed record ServicePrice(string Region, string Key, decimal Price, string Source);

/// <summary>The dated price snapshot embedded in the program: what offline plans and tests price with.</summary>
internal sealed record PriceSnapshot(
    string AsOf,
    string Note,
    IReadOnlyList<BedrockPrice> Bedrock,
    IReadOnlyList<InstancePrice> Instances,
    IReadOnlyList<SavingsPlanDiscount> SavingsPlanDiscounts,
    IReadOnlyList<ServicePrice> Services)
{
    public static PriceSnapshot Embedded { get; } = Load();

    public BedrockPrice? FindBedrock(string region, string model) =>
        Bedrock.FirstOrDefault(p => p.Region == region && p.Model == model);

    public InstancePrice? FindInstance(string region, FleetPlatform platform, string instanceType) =>
        Instances.FirstOrDefault(p => p.Region == region && p.Platform == platform && p.InstanceType == instanceType);

    /// <summary>The snapshot's answer to a query: every figure it has, labelled with its citation.</summary>
    public PriceBook Answer(PriceQuery query, string? fallback = null)
    {
        PriceOrigin Origin(string source) => new(PriceOriginKind.Snapshot, AsOf, source);
        var bedrock = new Dictionary<string, PricedTokens>(StringComparer.Ordinal);
        foreach (var model in query.BedrockModels)
        {
            if (FindBedrock(query.Region, model) is { } p)
            {
                bedrock[model] = new PricedTokens(new TokenPrices(p.InputPer1M, p.OutputPer1M, p.CacheReadPer1M, p.CacheWritePer1M), Origin(p.Source));
            }
        }

        var instances = new Dictionary<string, PricedHourly>(StringComparer.Ordinal);
        var plans = new List<SavingsPlanRate>();
        if (query.FleetPlatform is { } platform && query.FleetInstanceType is { } type && FindInstance(query.Region, platform, type) is { } instance)
        {
            instances[PriceBook.InstanceKey(platform, type)] = new PricedHourly(instance.Hourly, Origin(instance.Source));
            var planTypes = FleetPlatformPricing.For(platform).SavingsPlanTypes;
            plans.AddRange(SavingsPlanDiscounts.Where(d => planTypes.Contains(d.PlanType)).Select(d => new SavingsPlanRate(
                d.PlanType, d.TermYears, d.PaymentOption, type, Math.Round(instance.Hourly * (1m - d.Discount), 6), Origin(d.Source))));
        }

        // Supporting-service prices are only in the snapshot for us-east-1; elsewhere they stand in, and say so.
        var regional = Services.Any(s => s.Region == query.Region);
        var services = Services.Where(s => s.Region == (regional ? query.Region : "us-east-1"))
            .ToDictionary(s => s.Key, s => new PricedUnit(s.Price, Origin(regional ? s.Source : $"{s.Source}; us-east-1 price standing in for {query.Region}")), StringComparer.Ordinal);
        return new PriceBook(query.Region, bedrock, instances, plans, services, PriceOriginKind.Snapshot, fallback);
    }

    private static PriceSnapshot Load()
    {
        using var stream = typeof(PriceSnapshot).Assembly.GetManifestResourceStream("LlmCost.Infra.Pricing.price-snapshot.json")
            ?? throw new InvalidOperationException("The embedded price snapshot is missing from the build.");
        return JsonSerializer.Deserialize(stream, PricingJsonContext.Default.PriceSnapshot)
            ?? throw new InvalidOperationException("The embedded price snapshot is empty.");
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false)]
[JsonSerializable(typeof(PriceSnapshot))]
[JsonSerializable(typeof(PriceBook))]
[JsonSerializable(typeof(CacheFile))]
internal sealed partial class PricingJsonContext : JsonSerializerContext;
