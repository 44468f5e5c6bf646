using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Sizing;

/// <summary>One app's monthly budget against its share of the router's forecast spend.</summary>
/// <param name="BudgetUsd">The app's <c>monthlyBudgetUsd</c>; null: no budget, nothing to compare.</param>
/// <param name="ShareP50Usd">The app's share of the router-recorded spend of the plan's median month.</param>
/// <param name="ShareP90Usd">The same at P90 demand.</param>
internal sealed record AppBudgetShare(string App, decimal? BudgetUsd, decimal ShareP50Usd, decimal ShareP90Usd)
{
    /// <summary>At its P50 share the router refuses the app with budget_exceeded before the month ends.</summary>
    public bool BelowP50 => BudgetUsd < ShareP50Usd;

    /// <summary>One month in ten (P90) the app's share runs past its budget.</summary>
    public bool BelowP90 => BudgetUsd < ShareP90Usd;

    /// <summary>The day of the month (730 h / 24) after which the budget is spent at the P50 share; null when it lasts.</summary>
    public int? RefusedAfterDay => BelowP50 ? (int)Math.Floor(BudgetUsd!.Value / ShareP50Usd * DemandProfile.HoursPerMonth / 24m) : null;
}

/// <summary>
/// Each app's budget set against the spend the router will record for it (tokens at the router's prices, as its
/// budget ledger counts them). The stack's demand (<c>llm-cost:demand</c>) says how requests split between routes,
/// not between apps, and apps carry no share of their own: each app's share is an equal part of the router's
/// forecast spend (<see cref="Basis"/>). A budget below its P50 share is refused before the month ends if the apps
/// share the traffic evenly; below its P90 share, one month in ten.
/// </summary>
internal static class AppBudgetShares
{
    public const string Basis = "an equal share per app of the router's forecast spend (llm-cost:demand splits requests by route, not by app)";

    /// <summary>The router-recorded spend of one average request: each route's share of the demand at its prices.</summary>
    public static decimal RouterUsdPerRequest(StackSettings settings, CostPlan costs) =>
        settings.Routes.Sum(route => settings.Demand.RouteShares.GetValueOrDefault(route.Name)
            * ((costs.Demand.InputTokensPerRequest * costs.Route(route.Name).Prices.InputPer1M) + (costs.Demand.OutputTokensPerRequest * costs.Route(route.Name).Prices.OutputPer1M)) / 1_000_000m);

    /// <summary>The router-recorded spend of the plan's median month (P50) and of its P90 month (demand x the P90 factor: the router's prices do not change with demand).</summary>
    public static (decimal P50, decimal P90) RouterMonthlyUsd(StackSettings settings, CostPlan costs)
    {
        var month = RouterUsdPerRequest(settings, costs) * costs.Demand.RequestsPerMonth;
        return (month, month * costs.Forecast.P90DemandFactor);
    }

    public static IReadOnlyList<AppBudgetShare> For(StackSettings settings, CostPlan costs)
    {
        var (p50, p90) = RouterMonthlyUsd(settings, costs);
        var apps = settings.Apps.Count;
        return settings.Apps.Select(app => new AppBudgetShare(app.Name, app.MonthlyBudgetUsd, Math.Round(p50 / apps, 2), Math.Round(p90 / apps, 2))).ToList();
    }
}
