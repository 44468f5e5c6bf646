using LlmCost.Infra.Pricing.Live;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Pricing;

/// <summary>
/// Chooses where prices come from, per the stack's <c>pricing.source</c>:
/// <c>snapshot</c>: the embedded snapshot. <c>live</c>: a fresh cache, else the live APIs (then cached); if they fail,
/// the cache however old, else the snapshot, and the book says why. <c>live-required</c>: a fresh cache or the live
/// APIs, or the run stops. In every mode, what the live APIs do not carry (models billed through Marketplace,
/// gateway/Lambda/log prices) comes from the snapshot, labelled as such.
/// </summary>
internal sealed class PriceResolver(PriceSnapshot snapshot, PriceCache? cache, Func<LivePriceSource>? live)
{
    public async Task<PriceBook> ResolveAsync(PriceQuery query, PricingSource source, int cacheHours, TimeSpan deadline)
    {
        if (source == PricingSource.Snapshot || live is null)
        {
            return snapshot.Answer(query, source == PricingSource.Snapshot ? null : "live pricing is not available in this run; using the embedded snapshot");
        }

        var cached = cache?.Read(query);
        if (cached is not null && cache!.Age(cached) < TimeSpan.FromHours(cacheHours))
        {
            return Complete(query, Relabel(cached.Book, PriceOriginKind.Cache, null));
        }

        try
        {
            using var timeout = new CancellationTokenSource(deadline);
            var book = await live().FetchAsync(query, timeout.Token);
            try
            {
                cache?.Write(query, book);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A cache that cannot be written only costs speed on the next run; the prices are good.
            }

            return Complete(query, book);
        }
        catch (Exception e) when (e is PricingException or OperationCanceledException or HttpRequestException or ArgumentException)
        {
            var reason = e is OperationCanceledException ? $"no complete answer within {deadline.TotalSeconds:0} s" : e.Message;
            if (source == PricingSource.LiveRequired)
            {
                throw new PricingException($"pricing.source is live-required and live pricing failed: {reason}", e);
            }

            if (cached is not null)
            {
                var age = cache!.Age(cached);
                return Complete(query, Relabel(cached.Book, PriceOriginKind.Cache, $"live pricing failed ({reason}); using prices cached {age.TotalHours:0.#} h ago"));
            }

            return snapshot.Answer(query, $"live pricing failed ({reason}); no cached prices; using the embedded snapshot of {snapshot.AsOf}");
        }
    }

    private static PriceBook Relabel(PriceBook book, PriceOriginKind source, string? fallback) => book with
    {
        Bedrock = book.Bedrock.ToDictionary(b => b.Key, b => b.Value with { Origin = b.Value.Origin with { Source = source } }, StringComparer.Ordinal),
        Instances = book.Instances.ToDictionary(b => b.Key, b => b.Value with { Origin = b.Value.Origin with { Source = source } }, StringComparer.Ordinal),
        SavingsPlans = book.SavingsPlans.Select(p => p with { Origin = p.Origin with { Source = source } }).ToList(),
        Source = source,
        Fallback = fallback,
    };

    /// <summary>Fills what the live answer lacks from the snapshot, keeping the snapshot's labels.</summary>
    private PriceBook Complete(PriceQuery query, PriceBook book)
    {
        var fill = snapshot.Answer(query);
        var bedrock = new Dictionary<string, PricedTokens>(fill.Bedrock, StringComparer.Ordinal);
        foreach (var (model, price) in book.Bedrock)
        {
            bedrock[model] = price;
        }

        var instances = new Dictionary<string, PricedHourly>(fill.Instances, StringComparer.Ordinal);
        foreach (var (key, price) in book.Instances)
        {
            instances[key] = price;
        }

        // Estimated rates are discounts off the snapshot's on-demand price: keep the discount, apply it to the price in use.
        var plans = book.SavingsPlans.ToList();
        foreach (var estimate in fill.SavingsPlans.Where(f => !plans.Any(p => p.PlanType == f.PlanType && p.TermYears == f.TermYears && p.PaymentOption == f.PaymentOption)))
        {
            var key = PriceBook.InstanceKey(query.FleetPlatform!.Value, estimate.InstanceType);
            var factor = fill.Instances.TryGetValue(key, out var snapshotPrice) && instances.TryGetValue(key, out var used) && snapshotPrice.Hourly > 0
                ? used.Hourly / snapshotPrice.Hourly
                : 1m;
            plans.Add(estimate with { Hourly = Math.Round(estimate.Hourly * factor, 6) });
        }
        var services = new Dictionary<string, PricedUnit>(fill.Services, StringComparer.Ordinal);
        foreach (var (key, price) in book.Services)
        {
            services[key] = price;
        }

        return book with { Bedrock = bedrock, Instances = instances, SavingsPlans = plans, Services = services };
    }
}
