using LlmCost.Infra.Pricing;

namespace LlmCost.Infra.Sizing;

/// <summary>One Savings Plan option for the fleet's usage, sized at its optimum commitment.</summary>
/// <param name="Utilisation">Share of the commitment that usage actually consumes.</param>
/// <param name="Coverage">Share of on-demand-equivalent usage the plan covers.</param>
/// <param name="UpfrontUsd">Paid at purchase: all of the term's commitment for All Upfront, half for Partial Upfront.</param>
internal sealed record SavingsPlanOption(
    string PlanType,
    int TermYears,
    string PaymentOption,
    decimal Rate,
    decimal Discount,
    decimal HourlyCommitment,
    decimal Utilisation,
    decimal Coverage,
    decimal MonthlyCostUsd,
    decimal MonthlySavingsUsd,
    decimal UpfrontUsd,
    PriceOrigin Origin);

/// <summary>The options side by side and the one recommended, if the whole decision (<see cref="FleetDecision"/>) picks a commitment.</summary>
internal sealed record SavingsPlanAdvice(decimal OnDemandMonthlyUsd, IReadOnlyList<SavingsPlanOption> Options, SavingsPlanOption? Recommended);

/// <summary>
/// Sizes every plan type, term and payment option that covers the fleet (SageMaker plans for ml.inf2 on
/// SageMaker; Compute and EC2 Instance plans for inf2 on ECS) at its own exact optimum. A plan is never bought by
/// the program: this is advice a person acts on.
/// </summary>
internal static class SavingsPlanAdvisor
{
    public static SavingsPlanAdvice Advise(FleetPlan fleet, PricedHourly onDemand, IReadOnlyList<SavingsPlanRate> rates)
    {
        var usage = fleet.InstancesByHour.Select(n => n * onDemand.Hourly).ToList();
        var weights = fleet.HourWeights;
        var coveredHours = weights.Sum();
        var monthsPerProfile = coveredHours == 0 ? 0 : DemandProfile.HoursPerMonth / coveredHours;
        var onDemandMonthly = usage.Select((u, h) => u * weights[h]).Sum() * monthsPerProfile;
        var options = new List<SavingsPlanOption>();
        foreach (var rate in rates.Where(r => r.Hourly > 0 && r.Hourly < onDemand.Hourly))
        {
            var discount = 1m - (rate.Hourly / onDemand.Hourly);
            var best = SavingsPlanOptimizer.Optimise(usage, discount, weights);
            var covered = best.HourlyCommitment / (1m - discount);
            var coveredUsage = usage.Select((u, h) => Math.Min(u, covered) * weights[h]).Sum();
            var committed = best.HourlyCommitment * coveredHours;
            var termHours = rate.TermYears * 8760m;
            options.Add(new SavingsPlanOption(
                rate.PlanType,
                rate.TermYears,
                rate.PaymentOption,
                rate.Hourly,
                Math.Round(discount, 4),
                best.HourlyCommitment,
                committed == 0 ? 0 : Math.Round(coveredUsage * (1m - discount) / committed, 4),
                best.OnDemandCost == 0 ? 0 : Math.Round(coveredUsage / best.OnDemandCost, 4),
                Math.Round(best.TotalCost * monthsPerProfile, 2),
                Math.Round((best.OnDemandCost - best.TotalCost) * monthsPerProfile, 2),
                Math.Round(best.HourlyCommitment * termHours * UpfrontShare(rate.PaymentOption), 2),
                rate.Origin));
        }

        return new SavingsPlanAdvice(Math.Round(onDemandMonthly, 2), options
            .OrderBy(o => o.PlanType, StringComparer.Ordinal).ThenBy(o => o.TermYears).ThenBy(o => UpfrontShare(o.PaymentOption)).ToList(), Recommended: null);
    }

    public static decimal UpfrontShare(string paymentOption) => paymentOption switch
    {
        "All Upfront" => 1m,
        "Partial Upfront" => 0.5m,
        _ => 0m,
    };
}
