using System.Globalization;
using System.Text;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Stack;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Cli;

/// <summary>The money part of the plan: forecast by component, fleet sizing, Savings Plan options side by side, the whole decision, break-even.</summary>
internal static class CostPlanRenderer
{
    public static void Append(StringBuilder text, SynthesizedStack stack)
    {
        var costs = stack.Costs;
        var f = costs.Forecast;
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"monthly forecast (USD; {f.RequestsPerMonthP50:N0} requests at P50, P90 at demand x{f.P90DemandFactor}: {f.P90Basis})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"component",-10} {"P50",12} {"P90",12}");
        foreach (var (line, p90) in f.Lines)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {line.Kind.Name(),-10} {line.Usd,12:N2} {p90,12:N2}{(line.Kind == CostLineKind.Analytics ? "   (Firehose, S3, Athena, QuickSight: below)" : "")}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {"total",-10} {f.P50.Total,12:N2} {f.P90.Total,12:N2}");
        if (costs.Fleet is not null)
        {
            text.AppendLine(costs.SavingsPlans?.Recommended is { } bought
                ? $"  (the fleet as configured, with the recommended {bought.PlanType} {bought.TermYears}yr {bought.PaymentOption} plan, and its instances' storage)"
                : "  (the fleet as configured, on demand, and its instances' storage: no commitment is recommended)");
        }

        AnalyticsBreakdown.Append(text, stack);
        AppendAppBudgets(text, stack);
        if (costs.Fleet is not { } fleet)
        {
            text.AppendLine();
            text.AppendLine("fleet: none, so no Savings Plan and no break-even");
            return;
        }

        var settings = stack.Settings.Fleet!;
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"fleet sizing ({settings.InstanceType}, {settings.TokensPerSecondPerInstance} tokens/s per instance at {settings.TargetUtilisation:P0} target)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  throughput: {FleetThroughputEvidence.Basis(settings, stack.Settings.Demand)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  sized from demand: min {fleet.SizedMinInstances}, max {fleet.SizedMaxInstances}; deployed bounds: min {fleet.MinInstances}, max {fleet.MaxInstances}{(settings.BaselineInstances is not null || settings.MaxInstances is not null ? " (set in config)" : "")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  instance-hours per month {fleet.InstanceHoursPerMonth:N0}, average utilisation {fleet.AverageUtilisation:P1}, demand beyond the instances' full capacity {fleet.OverflowShare:P1} (served by the fallback route)");
        if (costs.ColdStart is { } cold)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  scales to zero when idle (baselineInstances 0): {cold.StartsPerMonth:0.##} starts from zero a month (hours of the demand profile where the sized instances go from 0 to more, x {costs.Demand.MonthsPerProfile:0.####} profiles a month);")
                + string.Create(CultureInfo.InvariantCulture, $" each bills {cold.StartingInstanceHoursPerStart:0.###} instance-hours before serving (startupTimeoutSeconds {cold.StartupSeconds} at {cold.InstanceHourlyUsd:0.#####} USD/h = {cold.StartingUsdPerStart:N2} USD, {cold.StartingUsdPerMonth:N2} USD/month, inside the fleet line's instance-hours)")
                + string.Create(CultureInfo.InvariantCulture, $", sends {cold.FallbackRequestsPerStart:N0} requests to the Bedrock fallback meanwhile ({cold.FallbackUsdPerStart:N2} USD, {cold.FallbackUsdPerMonth:N2} USD/month, in the bedrock line)")
                + string.Create(CultureInfo.InvariantCulture, $" and ends with {Components.Fleet.ScaleToZero.IdleMinutes} idle minutes of one instance before the idle alarm stops it ({cold.IdleTailUsdPerMonth:N2} USD/month, in the fleet line); not counted: a first hour needing more than one instance (one is added per start-up time; the rest of its traffic also falls back)")
                + (cold.UnservedRoutes.Count > 0 ? $"; {string.Join(", ", cold.UnservedRoutes)} has no Bedrock fallback: its requests fail while the fleet starts" : ""));
        }

        if (fleet.MaxInstances < fleet.SizedMaxInstances)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  WARNING: maxInstances {fleet.MaxInstances} is below the peak's {fleet.SizedMaxInstances}; the overflow goes to Bedrock");
        }

        if (costs.SavingsPlans is { } advice)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Savings Plan options (fleet on demand: {advice.OnDemandMonthlyUsd:N2} USD/month; advice only, nothing is bought)");
            text.AppendLine(CultureInfo.InvariantCulture, $"    {"plan",-12} {"term",4} {"payment",-16} {"discount",8} {"commit $/h",10} {"util",6} {"cover",6} {"$/month",10} {"saves/mo",10} {"upfront",10}  {"evidence",-15} rate source");
            foreach (var o in advice.Options)
            {
                var mark = ReferenceEquals(o, advice.Recommended) ? "->" : "  ";
                var evidence = costs.Evidence.Needs(o) ?? "enough";
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"  {mark}{o.PlanType,-12} {o.TermYears + "yr",4} {o.PaymentOption,-16} {o.Discount,8:P1} {o.HourlyCommitment,10:0.000} {o.Utilisation,6:P0} {o.Coverage,6:P0} {o.MonthlyCostUsd,10:N2} {o.MonthlySavingsUsd,10:N2} {o.UpfrontUsd,10:N0}  {evidence,-15} {o.Origin.Source.Name()} {o.Origin.AsOf}{(o.Origin.Detail.StartsWith("ESTIMATE", StringComparison.Ordinal) ? " (ESTIMATE)" : "")}");
            }

            text.AppendLine(advice.Recommended is { } r
                ? $"  recommended: {r.PlanType} {r.TermYears}yr {r.PaymentOption}, commit {r.HourlyCommitment:0.000} USD/h, saves {r.MonthlySavingsUsd:N2} USD/month"
                : $"  recommended: none ({NoPlanReason(costs)})");
        }

        if (costs.Decision is { } decision)
        {
            AppendDecision(text, decision, costs.Evidence);
        }

        if (costs.BreakEven is { } b)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"break-even: {b.FleetRoute} (fleet, {b.InstanceHourlyUsd:0.#####} USD/h per instance) vs {b.BedrockRoute} (Bedrock, {b.BedrockUsdPerMillionTokens:0.######} USD/1M tokens blended)");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  on demand the fleet wins above {b.TokensPerInstanceHour:N0} tokens per instance-hour ({b.BreakEvenUtilisation:P1} of an instance's capacity); expected {b.ExpectedTokensPerInstanceHour:N0} (fleet at real utilisation: {b.FleetUsdPerMillionTokens:0.######} USD/1M tokens)");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  at its cheapest allowed option ({b.AtOption}, effectively {b.EffectiveInstanceHourlyUsd:0.#####} USD per instance-hour) the fleet wins above {b.EffectiveTokensPerInstanceHour:N0}, so {(b.FleetIsCheaper ? "the fleet" : "Bedrock")} is cheaper");
        }
    }

    /// <summary>Each app's monthly budget against its share of the router's forecast spend, and which fall short.</summary>
    private static void AppendAppBudgets(StringBuilder text, SynthesizedStack stack)
    {
        var (p50, p90) = AppBudgetShares.RouterMonthlyUsd(stack.Settings, stack.Costs);
        var shares = AppBudgetShares.For(stack.Settings, stack.Costs);
        var width = Math.Max(3, shares.Max(s => s.App.Length));
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"app budgets (USD/month) against the router's forecast spend, {p50:N2} at P50 and {p90:N2} at P90; share: {AppBudgetShares.Basis}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"app".PadRight(width)} {"budget",12} {"share P50",12} {"share P90",12}");
        foreach (var share in shares)
        {
            var flag = share.BudgetUsd is null ? "   (no budget)"
                : share.BelowP50 ? $"   BELOW ITS P50 SHARE: refused with budget_exceeded after about day {share.RefusedAfterDay} of the month"
                : share.BelowP90 ? "   below its P90 share: runs out before the month ends one month in ten"
                : "";
            var budget = share.BudgetUsd is { } usd ? usd.ToString("N2", CultureInfo.InvariantCulture) : "none";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {share.App.PadRight(width)} {budget,12} {share.ShareP50Usd,12:N2} {share.ShareP90Usd,12:N2}{flag}");
        }
    }

    private static string NoPlanReason(CostPlan costs) =>
        !costs.Evidence.CanRecommend ? costs.Evidence.Missing ?? "not enough evidence"
        : costs.Decision?.Recommended is { IsBedrock: true } ? "Bedrock is cheaper than any fleet option"
        : "no allowed commitment beats the fleet on demand";

    private static void AppendDecision(StringBuilder text, FleetDecision decision, CommitmentEvidence evidence)
    {
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"whole decision for {string.Join(", ", decision.FleetRoutes)} (their traffic only, USD/month; Bedrock fallback: {(decision.BedrockRoutes.Count == 0 ? "none" : string.Join(", ", decision.BedrockRoutes))}; overflow on Bedrock included)");
        foreach (var o in decision.Options)
        {
            var mark = ReferenceEquals(o, decision.Recommended) ? "->" : "  ";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {mark}{o.Name,-44} {o.MonthlyUsd,12:N2}{(o.Needs is { } needs ? $"  ({needs})" : "")}");
        }

        text.AppendLine(decision.Recommended is { } r
            ? $"  recommended: {r.Name} at {r.MonthlyUsd:N2} USD/month"
            : $"  recommended: none; {evidence.Missing}");
    }
}
