using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Stack;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Cli;

/// <summary>
/// The cost plan as JSON for scripts and the pull-request report (<c>plan --format json</c>). The fields are a
/// contract, documented in the README; <c>schemaVersion</c> changes when one is renamed or removed.
/// </summary>
internal static class PlanJsonRenderer
{
    public const int SchemaVersion = 1;

    // Relaxed escaping: this JSON goes to scripts and files, never into HTML, and "+00:00" should read as written.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(SynthesizedStack stack)
    {
        var costs = stack.Costs;
        var root = new JsonObject
        {
            ["schemaVersion"] = SchemaVersion,
            ["stack"] = stack.Settings.Stack,
            ["region"] = stack.Settings.Region,
            ["pricing"] = new JsonObject { ["source"] = costs.Prices.Source.Name(), ["asOf"] = costs.PricesAsOf, ["fallback"] = costs.Prices.Fallback },
            ["demand"] = Demand(costs.Demand),
            ["evidence"] = new JsonObject
            {
                ["reach"] = JsonNamingPolicy.CamelCase.ConvertName(costs.Evidence.Reach.ToString()),
                ["canRecommend"] = costs.Evidence.CanRecommend,
                ["basis"] = costs.Evidence.Basis,
                ["missing"] = costs.Evidence.Missing,
            },
            ["warnings"] = new JsonArray(costs.Warnings.Select(w => (JsonNode?)w).ToArray()),
            ["notes"] = new JsonArray(stack.Notes.Select(n => (JsonNode?)n).ToArray()),
            ["forecast"] = new JsonObject
            {
                ["p50"] = Month(costs.Forecast.P50),
                ["p90"] = Month(costs.Forecast.P90),
                ["requestsPerMonthP50"] = costs.Forecast.RequestsPerMonthP50,
                ["p90DemandFactor"] = costs.Forecast.P90DemandFactor,
                ["p90Basis"] = costs.Forecast.P90Basis,
            },
            ["routes"] = new JsonArray(stack.Settings.Routes.Select(r => (JsonNode?)new JsonObject
            {
                ["name"] = r.Name,
                ["backend"] = r.Backend.Name(),
                ["model"] = r.Model,
                ["maxInputTokens"] = r.MaxInputTokens,
                ["maxOutputTokens"] = r.MaxOutputTokens,
                ["share"] = stack.Settings.Demand.RouteShares.GetValueOrDefault(r.Name),
                ["inputUsdPer1M"] = costs.Route(r.Name).Prices.InputPer1M,
                ["outputUsdPer1M"] = costs.Route(r.Name).Prices.OutputPer1M,
            }).ToArray()),
            ["caps"] = new JsonObject
            {
                ["routerReservedConcurrency"] = stack.Settings.Router.ReservedConcurrency,
                ["gatewayThrottleRatePerSecond"] = stack.Settings.Gateway.ThrottleRatePerSecond,
                ["gatewayThrottleBurst"] = stack.Settings.Gateway.ThrottleBurst,
                ["appMonthlyBudgetsUsd"] = new JsonObject(stack.Settings.Apps.Select(a => KeyValuePair.Create(a.Name, (JsonNode?)a.MonthlyBudgetUsd))),
            },
            ["appBudgets"] = AppBudgets(stack),
            ["hourlyUsdP50"] = new JsonArray(WeekCurve.HourlyP50(costs).Select(v => (JsonNode?)v).ToArray()),
            ["fleet"] = costs.Fleet is { } fleet ? new JsonObject
            {
                ["instanceType"] = stack.Settings.Fleet!.InstanceType,
                ["tokensPerSecondPerInstance"] = stack.Settings.Fleet.TokensPerSecondPerInstance,
                ["throughputSource"] = stack.Settings.Fleet.Throughput.Benchmark is null ? "configured" : "benchmark",
                ["throughputBasis"] = FleetThroughputEvidence.Basis(stack.Settings.Fleet, stack.Settings.Demand),
                ["minInstances"] = fleet.MinInstances,
                ["maxInstances"] = fleet.MaxInstances,
                ["sizedMinInstances"] = fleet.SizedMinInstances,
                ["sizedMaxInstances"] = fleet.SizedMaxInstances,
                ["instanceHoursPerMonth"] = Math.Round(fleet.InstanceHoursPerMonth, 1),
                ["averageUtilisation"] = Math.Round(fleet.AverageUtilisation, 4),
                ["overflowShare"] = Math.Round(fleet.OverflowShare, 4),
                ["coldStart"] = costs.ColdStart is { } cold ? new JsonObject
                {
                    ["startsPerMonth"] = Math.Round(cold.StartsPerMonth, 2),
                    ["startupTimeoutSeconds"] = cold.StartupSeconds,
                    ["instanceHourlyUsd"] = cold.InstanceHourlyUsd,
                    ["startingUsdPerStart"] = Math.Round(cold.StartingUsdPerStart, 4),
                    ["startingUsdPerMonth"] = Math.Round(cold.StartingUsdPerMonth, 2),
                    ["fallbackRequestsPerStart"] = Math.Round(cold.FallbackRequestsPerStart, 0),
                    ["fallbackUsdPerStart"] = Math.Round(cold.FallbackUsdPerStart, 4),
                    ["fallbackUsdPerMonth"] = Math.Round(cold.FallbackUsdPerMonth, 2),
                    ["idleTailUsdPerMonth"] = Math.Round(cold.IdleTailUsdPerMonth, 2),
                    ["unservedRoutes"] = new JsonArray(cold.UnservedRoutes.Select(r => (JsonNode?)r).ToArray()),
                } : null,
            } : null,
            ["savingsPlans"] = costs.SavingsPlans is { } advice ? new JsonObject
            {
                ["onDemandMonthlyUsd"] = advice.OnDemandMonthlyUsd,
                ["options"] = new JsonArray(advice.Options.Select(o => (JsonNode?)new JsonObject
                {
                    ["planType"] = o.PlanType,
                    ["termYears"] = o.TermYears,
                    ["paymentOption"] = o.PaymentOption,
                    ["discount"] = o.Discount,
                    ["hourlyCommitmentUsd"] = o.HourlyCommitment,
                    ["utilisation"] = o.Utilisation,
                    ["coverage"] = o.Coverage,
                    ["monthlyCostUsd"] = o.MonthlyCostUsd,
                    ["monthlySavingsUsd"] = o.MonthlySavingsUsd,
                    ["upfrontUsd"] = o.UpfrontUsd,
                    ["allowed"] = costs.Evidence.Allows(o),
                    ["recommended"] = ReferenceEquals(o, advice.Recommended),
                    ["rateSource"] = o.Origin.ToString(),
                }).ToArray()),
            } : null,
            ["decision"] = costs.Decision is { } decision ? new JsonObject
            {
                ["fleetRoutes"] = new JsonArray(decision.FleetRoutes.Select(r => (JsonNode?)r).ToArray()),
                ["bedrockRoutes"] = new JsonArray(decision.BedrockRoutes.Select(r => (JsonNode?)r).ToArray()),
                ["options"] = new JsonArray(decision.Options.Select(o => (JsonNode?)new JsonObject
                {
                    ["name"] = o.Name,
                    ["monthlyUsd"] = o.MonthlyUsd,
                    ["allowed"] = o.Allowed,
                    ["needs"] = o.Needs,
                }).ToArray()),
                ["recommended"] = decision.Recommended?.Name,
                ["contradiction"] = decision.Contradiction,
            } : null,
            ["breakEven"] = costs.BreakEven is { } b ? new JsonObject
            {
                ["fleetRoute"] = b.FleetRoute,
                ["bedrockRoute"] = b.BedrockRoute,
                ["bedrockUsdPerMillionTokens"] = b.BedrockUsdPerMillionTokens,
                ["onDemandTokensPerInstanceHour"] = b.TokensPerInstanceHour,
                ["atOption"] = b.AtOption,
                ["effectiveInstanceHourlyUsd"] = b.EffectiveInstanceHourlyUsd,
                ["effectiveTokensPerInstanceHour"] = b.EffectiveTokensPerInstanceHour,
                ["expectedTokensPerInstanceHour"] = b.ExpectedTokensPerInstanceHour,
                ["cheaper"] = b.FleetIsCheaper ? "fleet" : "bedrock",
            } : null,
        };
        return root.ToJsonString(Indented) + "\n";
    }

    private static JsonObject AppBudgets(SynthesizedStack stack)
    {
        var (p50, p90) = AppBudgetShares.RouterMonthlyUsd(stack.Settings, stack.Costs);
        return new JsonObject
        {
            ["basis"] = AppBudgetShares.Basis,
            ["routerMonthlyUsdP50"] = Math.Round(p50, 2),
            ["routerMonthlyUsdP90"] = Math.Round(p90, 2),
            ["apps"] = new JsonArray(AppBudgetShares.For(stack.Settings, stack.Costs).Select(a => (JsonNode?)new JsonObject
            {
                ["app"] = a.App,
                ["budgetUsd"] = a.BudgetUsd,
                ["shareP50Usd"] = a.ShareP50Usd,
                ["shareP90Usd"] = a.ShareP90Usd,
                ["belowP50Share"] = a.BelowP50,
                ["belowP90Share"] = a.BelowP90,
                ["refusedAfterDay"] = a.RefusedAfterDay,
            }).ToArray()),
        };
    }

    private static JsonObject Demand(DemandProfile demand)
    {
        var h = demand.History;
        return new JsonObject
        {
            ["basis"] = h is null ? "config" : "history",
            ["source"] = demand.Source,
            ["summary"] = DemandSummary.Line(demand),
            ["requestsPerMonth"] = Math.Round(demand.RequestsPerMonth, 0),
            ["inputTokensPerRequest"] = Math.Round(demand.InputTokensPerRequest, 2),
            ["outputTokensPerRequest"] = Math.Round(demand.OutputTokensPerRequest, 2),
            ["history"] = h is null ? null : new JsonObject
            {
                ["first"] = h.First.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["end"] = h.End.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["requests"] = h.Requests,
                ["coveredHours"] = h.CoveredHours,
                ["hoursInSpan"] = h.HoursInSpan,
                ["hoursWithData"] = h.HoursWithData,
                ["emptyHours"] = h.EmptyHours,
                ["longestGapHours"] = h.LongestGapHours,
                ["longestGapStart"] = h.LongestGapStart?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["monthFactor"] = Math.Round(DemandProfile.HoursPerMonth / h.CoveredHours, 4),
                ["strays"] = new JsonArray(h.Strays.Select(s => (JsonNode?)new JsonObject
                {
                    ["first"] = s.First.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    ["last"] = s.Last.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    ["requests"] = s.Requests,
                }).ToArray()),
            },
        };
    }

    private static JsonObject Month(MonthlyCost m)
    {
        var month = new JsonObject();
        foreach (var line in m.Lines)
        {
            month[line.Kind.Name()] = line.Usd;
        }

        month["total"] = m.Total;
        return month;
    }
}
