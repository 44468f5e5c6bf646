using LlmCost.Infra.Pricing;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Sizing;

/// <summary>
/// A part of the stack that costs money: given one month at one demand level, it names its cost lines. Components
/// implement it beside the resources they declare, so the code that adds a resource is the code that prices it; the
/// forecast (P50 and P90), the stack outputs and the plan iterate over what they contribute.
/// </summary>
internal interface ICostsMoney
{
    static abstract IEnumerable<CostLine> MonthlyCost(CostMonth month);
}

/// <summary>
/// One month at one demand level, as the costing parts see it: the settings, the prices, each route's price per token,
/// the demand, and, with a fleet, its instance price, its size at this demand and the commitment bought for P50.
/// </summary>
internal sealed record CostMonth(
    StackSettings Settings,
    PriceBook Book,
    IReadOnlyList<RoutePrice> Routes,
    DemandProfile Demand,
    PricedHourly? Instance,
    FleetPlan? Fleet,
    SavingsPlanOption? Commitment)
{
    public decimal Requests => Demand.RequestsPerMonth;

    /// <summary>A service price by key (<see cref="ServicePrices"/>); 0 when the book has none.</summary>
    public decimal Service(string key) => Book.Services.TryGetValue(key, out var price) ? price.PerUnit : 0m;

    /// <summary>Requests a month on a route, by the demand's route shares.</summary>
    public decimal RouteRequests(string route) => Requests * Settings.Demand.RouteShares.GetValueOrDefault(route);

    /// <summary>What <paramref name="requestCount"/> requests cost on <paramref name="route"/> at its price per token.</summary>
    public decimal TokenCost(string route, decimal requestCount) =>
        CostPlanner.TokenCost(Routes.First(p => p.Route == route).Prices, Demand, requestCount);

    /// <summary>The fleet routes' share of requests.</summary>
    public decimal FleetShare => CostPlanner.FleetShare(Settings);

    /// <summary>A fleet that scales to zero: what its starts and stops cost at this demand; null otherwise. Worked out once: the fleet and Bedrock lines both read it.</summary>
    public ColdStart? ColdStart { get; } = CostPlanner.ColdStartFor(Settings, Routes, Demand, Instance, Fleet);

    /// <summary>The first Bedrock route on a route's fallback chain, if any.</summary>
    public string? BedrockFallback(RouteSettings route) => CostPlanner.BedrockFallback(Settings, route);
}
