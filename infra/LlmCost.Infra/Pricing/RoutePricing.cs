using LlmCost.CostModel;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Pricing;

/// <summary>
/// Prices each configured route from a snapshot. A route whose model has no known price stops the run: an
/// unpriced route would make every cost figure downstream a guess.
/// </summary>
public static class RoutePricing
{
    public static TokenPrices For(StackSettings settings, RouteSettings route, PriceSnapshot snapshot)
    {
        var index = settings.Routes.ToList().IndexOf(route);
        var key = $"{StackSettingsReader.Ns}:routes[{index}].model";
        if (route.IsBedrock)
        {
            // Cross-region profiles of these (pre-4.5) models bill at the source region's price.
            var price = snapshot.FindBedrock(settings.Region, route.Model)
                ?? throw new ConfigError(settings.Source, key,
                    $"no price known for Bedrock model \"{route.Model}\" in {settings.Region} (snapshot of {snapshot.AsOf}); priced models there: "
                    + string.Join(", ", snapshot.Bedrock.Where(b => b.Region == settings.Region).Select(b => b.Model)));
            return new TokenPrices(price.InputPer1M, price.OutputPer1M, price.CacheReadPer1M, price.CacheWritePer1M);
        }

        // The fleet's price per token is its instance-hour spread over the tokens it serves at target utilisation.
        var fleet = settings.Fleet;
        var instance = snapshot.FindInstance(settings.Region, fleet.Platform, fleet.InstanceType!)
            ?? throw new ConfigError(settings.Source, $"{StackSettingsReader.Ns}:fleet.instanceType",
                $"no price known for {fleet.InstanceType} on {fleet.Platform} in {settings.Region} (snapshot of {snapshot.AsOf})");
        var perMillion = Math.Round(instance.Hourly / (fleet.TokensPerSecondPerInstance * 3600m * fleet.TargetUtilisation) * 1_000_000m, 6);
        return new TokenPrices(perMillion, perMillion);
    }
}
