using System.Globalization;
using LlmCost.CostModel;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Pricing.Live;

/// <summary>
/// Prices a query from the live APIs: Bedrock token prices, the fleet's on-demand instance-hour and every Savings
/// Plan rate (all terms and payment options) for its instance type. What the APIs do not carry is left out for
/// the resolver to fill from the snapshot, labelled as such.
/// </summary>
internal sealed class LivePriceSource(PriceListApi priceList, SavingsPlansApi savingsPlans, TimeProvider time)
{
    public async Task<PriceBook> FetchAsync(PriceQuery query, CancellationToken deadline)
    {
        var fetchedAt = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
        PriceOrigin Origin(string detail) => new(PriceOriginKind.Live, fetchedAt, detail);

        var bedrock = new Dictionary<string, PricedTokens>(StringComparer.Ordinal);
        var wanted = query.BedrockModels.Where(BedrockUsageTypes.Stems.ContainsKey).ToList();
        if (wanted.Count > 0)
        {
            var products = await priceList.GetProductsAsync("AmazonBedrock", [("regionCode", query.Region)], deadline);
            foreach (var model in wanted)
            {
                var stem = BedrockUsageTypes.Stems[model];
                PriceListProduct? Find(string dimension) => products.FirstOrDefault(p =>
                    p.Attributes.TryGetValue("usagetype", out var usage) && BedrockUsageTypes.Matches(usage, stem, dimension));
                var input = Find(BedrockUsageTypes.Input);
                var output = Find(BedrockUsageTypes.Output);
                if (input is null || output is null)
                {
                    continue;
                }

                var cacheRead = Find(BedrockUsageTypes.CacheRead);
                var cacheWrite = Find(BedrockUsageTypes.CacheWrite);
                if (PerMillion(input) is not { } inputPrice || PerMillion(output) is not { } outputPrice)
                {
                    continue;
                }

                bedrock[model] = new PricedTokens(
                    new TokenPrices(inputPrice, outputPrice, cacheRead is null ? null : PerMillion(cacheRead), cacheWrite is null ? null : PerMillion(cacheWrite)),
                    Origin($"Price List AmazonBedrock {input.Attributes["usagetype"]} (published {input.PublicationDate})"));
            }
        }

        var instances = new Dictionary<string, PricedHourly>(StringComparer.Ordinal);
        var plans = new List<SavingsPlanRate>();
        if (query.FleetPlatform is { } platform && query.FleetInstanceType is { } type)
        {
            var pricing = FleetPlatformPricing.For(platform);
            var onDemand = await priceList.GetProductsAsync(pricing.PriceListService, pricing.OnDemandFilters(query.Region, type), deadline);
            var hourly = onDemand.Where(p => p.Unit.StartsWith("Hr", StringComparison.OrdinalIgnoreCase) && p.PricePerUnit > 0).ToList();
            if (hourly.Select(p => p.PricePerUnit).Distinct().Count() > 1)
            {
                throw new PricingException($"Pricing GetProducts: {hourly.Count} different on-demand prices match {type} in {query.Region} ({string.Join(", ", hourly.Select(p => p.Sku))}); refusing to guess");
            }

            if (hourly.Count > 0)
            {
                var chosen = hourly[0];
                instances[PriceBook.InstanceKey(platform, type)] = new PricedHourly(chosen.PricePerUnit,
                    Origin($"Price List {pricing.PriceListService} {chosen.Attributes.GetValueOrDefault("usagetype")} sku {chosen.Sku} (published {chosen.PublicationDate})"));
            }

            var rates = await savingsPlans.DescribeOfferingRatesAsync(
                pricing.SavingsPlanTypes, pricing.SavingsPlansProductType, pricing.PriceListService, query.Region, type, deadline);
            var applicable = rates.Where(r => pricing.CoversInstance(new SavingsPlanRateUsage(r.UsageType, r.Operation, r.Properties.GetValueOrDefault("tenancy")), type));
            foreach (var rate in applicable.DistinctBy(r => (r.PlanType, r.TermYears, r.PaymentOption)))
            {
                plans.Add(new SavingsPlanRate(rate.PlanType, rate.TermYears, rate.PaymentOption, type, rate.Rate,
                    Origin($"DescribeSavingsPlansOfferingRates {rate.PlanType} {rate.TermYears}yr {rate.PaymentOption} {rate.UsageType}")));
            }
        }

        return new PriceBook(query.Region, bedrock, instances, plans, new Dictionary<string, PricedUnit>(), PriceOriginKind.Live, null);
    }

    /// <summary>Price List token units are "1K tokens" (sometimes "1M tokens"); anything else is not guessed at.</summary>
    private static decimal? PerMillion(PriceListProduct product) => product.Unit.Trim() switch
    {
        var u when u.StartsWith("1K", StringComparison.OrdinalIgnoreCase) => product.PricePerUnit * 1000m,
        var u when u.StartsWith("1M", StringComparison.OrdinalIgnoreCase) => product.PricePerUnit,
        _ => null,
    };
}
