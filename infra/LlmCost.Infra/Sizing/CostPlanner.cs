using LlmCost.CostModel;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Settings;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Sizing;

/// <summary>A route's prices per million tokens and where they came from.</summary>
internal sealed record RoutePrice(string Route, TokenPrices Prices, PriceOrigin Origin);

/// <summary>
/// Everything plan time decides about money, in one place: the router's price table, the fleet, the Savings Plan
/// advice, the whole decision per fleet, the break-even and the forecast, with the evidence they rest on and the
/// warnings a person must see. Components read it (the router's price table now; the budget and the spend alarms
/// of part 2 next); outputs and the plan report show it.
/// </summary>
internal sealed record CostPlan(
    DemandProfile Demand,
    PriceBook Prices,
    IReadOnlyList<RoutePrice> Routes,
    FleetPlan? Fleet,
    SavingsPlanAdvice? SavingsPlans,
    BreakEven? BreakEven,
    CostForecast Forecast,
    CommitmentEvidence Evidence,
    FleetDecision? Decision,
    IReadOnlyList<string> Warnings)
{
    public RoutePrice Route(string name) => Routes.First(r => r.Route == name);

    /// <summary>Warnings about the routes' models (legacy, or unknown to the model catalog); set by <see cref="StackPlanning"/>.</summary>
    public IReadOnlyList<string> ModelWarnings { get; init; } = [];

    /// <summary>A fleet on ECS that scales to zero: what its starts from zero cost (<see cref="Sizing.ColdStart"/>); null otherwise.</summary>
    public ColdStart? ColdStart { get; init; }

    /// <summary>True when the router's reserved concurrency was checked against the account (live runs with credentials).</summary>
    public bool ConcurrencyChecked { get; init; }

    /// <summary>The dates of the prices the routes use, as one text (one date unless sources were mixed).</summary>
    public string PricesAsOf => string.Join(", ", Routes.Select(r => r.Origin.AsOf).Distinct(StringComparer.Ordinal));
}

internal static class CostPlanner
{
    public static CostPlan Plan(StackSettings settings, PriceBook book, DemandProfile demand)
    {
        var routes = settings.Routes.Select(route => PriceRoute(settings, book, route)).ToList();
        var evidence = CommitmentEvidence.For(demand, settings.Fleet is { } doubted ? FleetThroughputEvidence.Doubt(doubted, settings.Demand) : null);
        FleetPlan? fleet = null;
        SavingsPlanAdvice? advice = null;
        BreakEven? breakEven = null;
        FleetDecision? decision = null;
        PricedHourly? instance = null;
        if (settings.Fleet is { } fleetSettings)
        {
            instance = InstancePrice(settings, fleetSettings, book);
            fleet = FleetSizer.Size(demand, FleetShare(settings), fleetSettings);
            advice = SavingsPlanAdvisor.Advise(fleet, instance, book.SavingsPlans.Where(r => r.InstanceType == fleetSettings.InstanceType).ToList());
            decision = Decide(settings, routes, demand, fleet, advice, evidence);
            advice = advice with { Recommended = decision.Recommended?.Plan };
            breakEven = BreakEvenFor(settings, routes, demand, instance, fleet, decision);
        }

        var p50Month = new CostMonth(settings, book, routes, demand, instance, fleet, advice?.Recommended);
        var p50 = Stack.StackCosts.Month(p50Month);
        var (factor, basis) = ForecastSpread.P90(demand, settings.Demand.Uncertainty);
        var p90Demand = demand.Scaled(factor);
        var p90Fleet = settings.Fleet is { } f ? FleetSizer.Size(p90Demand, FleetShare(settings), f) : null;
        var p90 = Stack.StackCosts.Month(new CostMonth(settings, book, routes, p90Demand, instance, p90Fleet, advice?.Recommended));
        return new CostPlan(demand, book, routes, fleet, advice, breakEven, new CostForecast(p50, p90, factor, Math.Round(demand.RequestsPerMonth, 0), basis),
            evidence, decision, Warnings(settings, demand, decision))
        {
            ColdStart = p50Month.ColdStart,
        };
    }

    /// <summary>A fleet whose configured baseline, and so its minimum, is 0 (only a fleet on ECS may have one) starts from zero.</summary>
    public static ColdStart? ColdStartFor(StackSettings settings, IReadOnlyList<RoutePrice> routes, DemandProfile demand, PricedHourly? instance, FleetPlan? fleet) =>
        settings.Fleet is { ScalesToZero: true } fleetSettings && fleet is not null && instance is not null
            ? ColdStart.For(fleet, demand, fleetSettings.Serving.StartupTimeoutSeconds, instance.Hourly,
                settings.Routes.Where(r => !r.IsBedrock)
                    .Select(r => (r.Name, settings.Demand.RouteShares.GetValueOrDefault(r.Name),
                        BedrockFallback(settings, r) is { } fallback ? routes.First(p => p.Route == fallback).Prices : (TokenPrices?)null))
                    .ToList())
            : null;

    /// <summary>What a person must not miss: a configuration the numbers argue against, and history set aside or missing.</summary>
    private static List<string> Warnings(StackSettings settings, DemandProfile demand, FleetDecision? decision)
    {
        var warnings = new List<string>();
        if (decision?.Contradiction is { } contradiction)
        {
            warnings.Add($"configuration contradicts the plan: {contradiction}");
        }

        if (settings.Fleet is { } fleet && FleetThroughputEvidence.Doubt(fleet, settings.Demand) is { } throughput)
        {
            warnings.Add(throughput);
        }

        if (settings.Fleet is { ScalesToZero: true } && settings.Routes.Where(r => !r.IsBedrock && BedrockFallback(settings, r) is null).Select(r => r.Name).ToList() is { Count: > 0 } unserved)
        {
            warnings.Add($"the fleet scales to zero (llm-cost:fleet.baselineInstances 0) but {string.Join(", ", unserved)} has no Bedrock fallback: its requests fail each time the fleet starts from zero; give it a fallback or a baseline of 1");
        }

        if (demand.History is { } history)
        {
            if (history.Strays.Count > 0)
            {
                warnings.Add($"{history.StrayRequests} stray request(s) set aside: " + string.Join("; ", history.Strays.Select(s => $"{s.Requests} from {s.First:yyyy-MM-dd HH:mm} to {s.Last:yyyy-MM-dd HH:mm} UTC")));
            }

            if (history.LongestGapHours > CommitmentEvidence.LargeGapHours)
            {
                warnings.Add($"the history has a gap of {history.LongestGapHours} hours without requests from {history.LongestGapStart:yyyy-MM-dd HH:00} UTC, counted as zero demand");
            }
        }

        return warnings;
    }

    /// <summary>The fleet routes' traffic on Bedrock, on the fleet on demand, and on the fleet with each commitment.</summary>
    private static FleetDecision Decide(StackSettings settings, IReadOnlyList<RoutePrice> routes, DemandProfile demand, FleetPlan fleet, SavingsPlanAdvice advice, CommitmentEvidence evidence)
    {
        var fleetRoutes = settings.Routes.Where(r => !r.IsBedrock).ToList();
        decimal? allOnBedrock = 0m;
        var fallbacks = new List<string>();
        foreach (var route in fleetRoutes)
        {
            if (BedrockFallback(settings, route) is { } fallback)
            {
                fallbacks.Add(fallback);
                allOnBedrock += TokenCost(routes.First(p => p.Route == fallback).Prices, demand, demand.RequestsPerMonth * settings.Demand.RouteShares.GetValueOrDefault(route.Name));
            }
            else
            {
                // A fleet route with no Bedrock fallback cannot move there: that option does not exist.
                allOnBedrock = null;
            }
        }

        var overflow = allOnBedrock is { } all ? fleet.OverflowShare * all : 0m;
        return FleetDecision.Decide(fleetRoutes.Select(r => r.Name).ToList(), fallbacks.Distinct(StringComparer.Ordinal).ToList(), allOnBedrock, overflow, advice, evidence, FleetShare(settings));
    }

    public static decimal TokenCost(TokenPrices prices, DemandProfile demand, decimal requestCount) =>
        requestCount * ((demand.InputTokensPerRequest * prices.InputPer1M) + (demand.OutputTokensPerRequest * prices.OutputPer1M)) / 1_000_000m;

    private static PricedHourly InstancePrice(StackSettings settings, FleetSettings fleet, PriceBook book) =>
        book.Instances.TryGetValue(PriceBook.InstanceKey(fleet.Platform, fleet.InstanceType), out var priced)
            ? priced
            : throw new ConfigError(settings.Source, $"{StackSettingsReader.Ns}:fleet.instanceType",
                $"no price known for {fleet.InstanceType} on {fleet.Platform.Name()} in {settings.Region} ({book.Source.Name()} prices)");

    public static decimal FleetShare(StackSettings settings) =>
        settings.Routes.Where(r => !r.IsBedrock).Sum(r => settings.Demand.RouteShares.GetValueOrDefault(r.Name));

    private static RoutePrice PriceRoute(StackSettings settings, PriceBook book, RouteSettings route)
    {
        if (route.IsBedrock)
        {
            return book.Bedrock.TryGetValue(route.Model, out var priced)
                ? new RoutePrice(route.Name, priced.Prices, priced.Origin)
                : throw new ConfigError(settings.Source, $"{route.Key}.model",
                    $"no price known for Bedrock model \"{route.Model}\" in {settings.Region} ({book.Source.Name()} prices); priced models: {string.Join(", ", book.Bedrock.Keys.Order(StringComparer.Ordinal))}");
        }

        // The fleet's price per token is its instance-hour spread over the tokens it serves at target utilisation.
        var fleet = settings.Fleet ?? throw new InvalidOperationException($"route \"{route.Name}\" is a fleet route in a stack without a fleet");
        var instance = InstancePrice(settings, fleet, book);
        var perMillion = Math.Round(instance.Hourly / (fleet.TokensPerSecondPerInstance * 3600m * fleet.TargetUtilisation) * 1_000_000m, 6);
        return new RoutePrice(route.Name, new TokenPrices(perMillion, perMillion),
            instance.Origin with { Detail = $"{instance.Origin.Detail}; ${instance.Hourly}/h spread over {fleet.TokensPerSecondPerInstance} tokens/s at {fleet.TargetUtilisation:P0}" });
    }

    /// <summary>Blended Bedrock price per million tokens for this demand's input/output mix.</summary>
    private static decimal Blended(TokenPrices prices, DemandProfile demand) =>
        ((demand.InputTokensPerRequest * prices.InputPer1M) + (demand.OutputTokensPerRequest * prices.OutputPer1M)) / demand.TokensPerRequest;

    /// <summary>The fleet route against the first Bedrock route on its fallback chain: the same traffic's alternative.</summary>
    private static BreakEven? BreakEvenFor(StackSettings settings, IReadOnlyList<RoutePrice> routes, DemandProfile demand, PricedHourly instance, FleetPlan fleet, FleetDecision decision)
    {
        var fleetRoute = settings.Routes.FirstOrDefault(r => !r.IsBedrock);
        var next = fleetRoute is null ? null : BedrockFallback(settings, fleetRoute);
        if (fleetRoute is null || next is null)
        {
            return null;
        }

        var bedrock = routes.First(r => r.Route == next);
        // The cheapest fleet option the evidence allows sets the fleet's effective hourly rate, so the break-even agrees with the decision.
        var option = decision.CheapestFleetOption;
        var effectiveHourly = option.Plan is { } plan && fleet.InstanceHoursPerMonth > 0 ? plan.MonthlyCostUsd / fleet.InstanceHoursPerMonth : instance.Hourly;
        return BreakEven.Compute(fleetRoute.Name, next, instance.Hourly, Math.Round(Blended(bedrock.Prices, demand), 6), settings.Fleet!.TokensPerSecondPerInstance, fleet,
            option.Name, effectiveHourly);
    }

    /// <summary>The first Bedrock route on a route's fallback chain (fallback cycles are refused by the settings).</summary>
    public static string? BedrockFallback(StackSettings settings, RouteSettings route)
    {
        var next = route.Fallback;
        while (next is not null && !settings.Route(next).IsBedrock)
        {
            next = settings.Route(next).Fallback;
        }

        return next;
    }
}
