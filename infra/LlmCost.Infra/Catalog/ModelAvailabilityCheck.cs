using LlmCost.CostModel.Vocabulary;
using System.Globalization;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Catalog;

/// <summary>
/// Every Bedrock route's model, checked against what Bedrock offers in the stack's region as configured: a model
/// that is not offered that way, or is past its end of life, stops the plan with the key to fix and the fix; a
/// legacy model (or one the catalog does not know) is a warning with its date. Without this, the first request to
/// such a route fails with "The provided model identifier is invalid" or "on-demand throughput isn't supported".
/// </summary>
internal static class ModelAvailabilityCheck
{
    /// <summary>Warnings for the plan; throws <see cref="ConfigError"/> for a route that cannot work.</summary>
    public static IReadOnlyList<string> Check(StackSettings settings, BedrockModelCatalog catalog, DateOnly today)
    {
        var warnings = new List<string>();
        var routes = settings.Routes.ToList();
        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            if (!route.IsBedrock)
            {
                continue;
            }

            var key = route.Key;
            var model = catalog.Find(route.Model);
            if (model is null && catalog.Origin == LlmCost.CostModel.Vocabulary.PriceOriginKind.Live)
            {
                // The live list is the region's whole offer: a model missing from it cannot be invoked here.
                throw new ConfigError(settings.Source, $"{key}.model",
                    $"{route.Model} is not offered in {settings.Region}: Bedrock's ListFoundationModels does not list it (live, {catalog.AsOf}); it may have reached end of life");
            }

            if (model is null)
            {
                warnings.Add($"{key}.model: {route.Model} is not in the Bedrock model catalog ({catalog.Origin.Name()} of {catalog.AsOf}); its availability in {settings.Region} and its lifecycle are unchecked");
                continue;
            }

            if (Date(model.EndOfLifeDate) is { } eol && eol <= today)
            {
                throw new ConfigError(settings.Source, $"{key}.model",
                    $"{route.Model} reached end of life on Bedrock on {eol:yyyy-MM-dd} and can no longer be invoked; choose a current model (catalog: {catalog.Origin.Name()} of {catalog.AsOf})");
            }

            var offer = model.In(settings.Region);
            if (offer is null || (!offer.OnDemand && offer.Profiles.Count == 0))
            {
                var where = model.Regions.Where(r => r.OnDemand || r.Profiles.Count > 0).Select(r => r.Region).ToList();
                throw new ConfigError(settings.Source, $"{key}.model",
                    $"{route.Model} is not offered in {settings.Region} (catalog: {catalog.Origin.Name()} of {catalog.AsOf}); offered in: {(where.Count == 0 ? "no region the catalog covers" : string.Join(", ", where))}");
            }

            if (route.CrossRegion is null && !offer.OnDemand)
            {
                throw new ConfigError(settings.Source, $"{key}.crossRegion",
                    $"is not set, but {route.Model} is not offered on demand in {settings.Region}, only through cross-region inference profiles: "
                    + $"set crossRegion to {string.Join(" or ", offer.Profiles)} (catalog: {catalog.Origin.Name()} of {catalog.AsOf})");
            }

            if (route.CrossRegion is { } geography && !offer.Profiles.Contains(geography, StringComparer.Ordinal))
            {
                throw new ConfigError(settings.Source, $"{key}.crossRegion",
                    $"{geography}: {route.Model} has no {geography} cross-region inference profile callable from {settings.Region}; "
                    + (offer.Profiles.Count > 0 ? $"use {string.Join(" or ", offer.Profiles)}" : "") + (offer.OnDemand ? $"{(offer.Profiles.Count > 0 ? ", or " : "")}remove crossRegion (it is offered on demand)" : "")
                    + $" (catalog: {catalog.Origin.Name()} of {catalog.AsOf})");
            }

            if (Date(model.EndOfLifeDate) is { } end)
            {
                warnings.Add($"{key}.model: {route.Model} is a legacy model on Bedrock: it stops working on {end:yyyy-MM-dd}; plan its replacement");
            }
            else if (model.Lifecycle == "LEGACY")
            {
                warnings.Add($"{key}.model: {route.Model} is a legacy model on Bedrock{(Date(model.LegacyDate) is { } since ? $" since {since:yyyy-MM-dd}" : "")}; its end-of-life date is not in the catalog");
            }
            else if (model.Lifecycle != "ACTIVE")
            {
                warnings.Add($"{key}.model: the catalog has no lifecycle source for {route.Model}; check it on the Bedrock model lifecycle page");
            }
        }

        return warnings;
    }

    private static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
