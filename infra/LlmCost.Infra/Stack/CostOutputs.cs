using LlmCost.Infra.Sizing;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Stack;

/// <summary>
/// The cost plan as stack outputs: pricing source and date (and any fallback), the forecast range, the fleet's
/// size, the whole decision, the break-even and the recommended Savings Plan, and <c>planWarnings</c> when the
/// configuration contradicts the plan or history was set aside. A Savings Plan is advice: nothing here buys one.
/// </summary>
internal static class CostOutputs
{
    public static void Add(ProgramBuilder program, CostPlan costs)
    {
        program.AddOutput("pricingSource", costs.Prices.Source.Name());
        program.AddOutput("pricingAsOf", costs.PricesAsOf);
        if (costs.Prices.Fallback is { } fallback)
        {
            // Present only when the chosen source could not be used: its presence is the signal.
            program.AddOutput("pricingFallback", fallback);
        }

        if (costs.Warnings.Count > 0)
        {
            // Present only when there is something to act on: its presence is the signal, as with pricingFallback.
            program.AddOutput("planWarnings", Strings(costs.Warnings));
        }

        var f = costs.Forecast;
        program.AddOutput("forecastMonthlyUsd", Map(
            ("p50", f.P50.Total),
            ("p90", f.P90.Total),
            ("p50ByComponent", Components(f.P50)),
            ("p90ByComponent", Components(f.P90)),
            ("requestsPerMonthP50", f.RequestsPerMonthP50),
            ("p90DemandFactor", f.P90DemandFactor),
            ("p90Basis", f.P90Basis)));

        if (costs.Fleet is { } fleet)
        {
            program.AddOutput("fleetSizing", Map(
                ("minInstances", fleet.MinInstances),
                ("maxInstances", fleet.MaxInstances),
                ("sizedMinInstances", fleet.SizedMinInstances),
                ("sizedMaxInstances", fleet.SizedMaxInstances),
                ("instanceHoursPerMonth", Math.Round(fleet.InstanceHoursPerMonth, 1)),
                ("averageUtilisation", Math.Round(fleet.AverageUtilisation, 4))));
        }

        if (costs.BreakEven is { } b)
        {
            program.AddOutput("breakEven", Map(
                ("fleetRoute", b.FleetRoute),
                ("bedrockRoute", b.BedrockRoute),
                ("tokensPerInstanceHour", b.TokensPerInstanceHour),
                ("expectedTokensPerInstanceHour", b.ExpectedTokensPerInstanceHour),
                ("atOption", b.AtOption),
                ("effectiveTokensPerInstanceHour", b.EffectiveTokensPerInstanceHour),
                ("cheaper", b.FleetIsCheaper ? "fleet" : "bedrock")));
        }

        if (costs.Decision is { } decision)
        {
            program.AddOutput("fleetDecision", Map(
                ("fleetRoutes", Strings(decision.FleetRoutes)),
                ("recommended", decision.Recommended?.Name ?? "none"),
                ("evidence", costs.Evidence.Basis),
                ("options", List(decision.Options.Select(o => (Value)Map(("name", o.Name), ("monthlyUsd", o.MonthlyUsd), ("allowed", o.Allowed)))))));
        }

        if (costs.SavingsPlans?.Recommended is { } plan)
        {
            program.AddOutput("savingsPlanRecommendation", Map(
                ("planType", plan.PlanType),
                ("termYears", plan.TermYears),
                ("paymentOption", plan.PaymentOption),
                ("hourlyCommitmentUsd", plan.HourlyCommitment),
                ("expectedMonthlySavingsUsd", plan.MonthlySavingsUsd),
                ("utilisation", plan.Utilisation),
                ("coverage", plan.Coverage),
                ("rateSource", plan.Origin.ToString()),
                ("evidence", costs.Evidence.Basis),
                ("note", "Advice only: the program never purchases a Savings Plan.")));
        }
    }

    private static MapValue Components(MonthlyCost m) =>
        new(m.Lines.Select(l => new KeyValuePair<string, Value>(l.Kind.Name(), new NumberValue(l.Usd))));
}
