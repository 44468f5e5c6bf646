using System.Globalization;
using System.Text.Json.Nodes;

namespace LlmCost.Infra.Diff;

/// <summary>Compares two sides of a stack: cost lines, the settings the plan rests on, resources and the week's hourly cost.</summary>
internal static class CostDiff
{
    /// <summary>The forecast's cost lines, in the plan's order.</summary>
    public static readonly string[] CostLines = [.. Sizing.CostLineKinds.Vocabulary.Names, "total"];

    public static CostDiffReport Compare(string stack, DiffSide before, DiffSide after)
    {
        var head = after.Plan ?? throw new CostDiffException($"cost diff: the stack {stack} has no plan in the working tree");
        var lines = CostLines.Select(line => new LineDelta(line,
            Number(before.Plan, "forecast", "p50", line), Number(head, "forecast", "p50", line),
            Number(before.Plan, "forecast", "p90", line), Number(head, "forecast", "p90", line))).ToList();
        var beforeRows = Settings(before.Plan);
        var afterRows = Settings(head);
        var rows = beforeRows.Keys.Union(afterRows.Keys).Distinct(StringComparer.Ordinal)
            .Select(k => new SettingRow(k, beforeRows.GetValueOrDefault(k, "none"), afterRows.GetValueOrDefault(k, "none")))
            .ToList();
        var resources = before.Exists && before.Program is null ? null : ResourceDiff.Compare(before.Program, after.Program);
        return new CostDiffReport(stack, before, after,
            lines[^1].P50Before, lines[^1].P50After, Commitment(before.Plan), Commitment(head), lines, rows, resources,
            before.Exists ? Hourly(before.Plan!) : new decimal[Sizing.DemandProfile.HoursPerWeek], Hourly(head) ?? []);
    }

    private static decimal Number(JsonObject? plan, params string[] path)
    {
        JsonNode? node = plan;
        foreach (var key in path)
        {
            node = node?[key];
        }

        return node is JsonValue v && v.TryGetValue<decimal>(out var d) ? d : 0m;
    }

    private static decimal Commitment(JsonObject? plan) =>
        Recommended(plan) is { } option && option["hourlyCommitmentUsd"] is JsonValue v && v.TryGetValue<decimal>(out var d) ? d : 0m;

    private static JsonObject? Recommended(JsonObject? plan) =>
        (plan?["savingsPlans"]?["options"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(o => o["recommended"]?.GetValue<bool>() == true);

    private static IReadOnlyList<decimal>? Hourly(JsonObject plan) =>
        plan["hourlyUsdP50"] is JsonArray a ? a.Select(v => v?.GetValue<decimal>() ?? 0m).ToList() : null;

    /// <summary>The settings a reviewer compares, as text keyed by a readable name; absent ones are left out (shown as "none").</summary>
    private static Dictionary<string, string> Settings(JsonObject? plan)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        if (plan is null)
        {
            return rows;
        }

        void Add(string name, JsonNode? value)
        {
            if (value is not null)
            {
                rows[name] = Text(value);
            }
        }

        Add("region", plan["region"]);
        Add("prices", plan["pricing"] is JsonObject p ? JsonValue.Create($"{Text(p["source"])} as of {Text(p["asOf"])}") : null);
        Add("demand", plan["demand"]?["summary"]);
        Add("requests/month (P50)", plan["forecast"]?["requestsPerMonthP50"]);
        rows["Savings Plan recommended"] = Recommended(plan) is { } o
            ? $"{Text(o["planType"])} {Text(o["termYears"])}y {Text(o["paymentOption"])}, ${Text(o["hourlyCommitmentUsd"])}/h"
            : "none";
        Add("fleet decision", plan["decision"]?["recommended"]);
        if (plan["fleet"] is JsonObject fleet)
        {
            Add("fleet instance type", fleet["instanceType"]);
            rows["fleet min/max"] = $"{Text(fleet["minInstances"])}/{Text(fleet["maxInstances"])}";
            rows["fleet sized min/max"] = $"{Text(fleet["sizedMinInstances"])}/{Text(fleet["sizedMaxInstances"])}";
        }

        foreach (var route in (plan["routes"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var name = Text(route["name"]);
            rows[$"route {name}: model"] = $"{Text(route["backend"])} {Text(route["model"])}";
            rows[$"route {name}: caps (in/out tokens)"] = $"{Text(route["maxInputTokens"])}/{Text(route["maxOutputTokens"])}";
            rows[$"route {name}: share"] = Text(route["share"]);
            rows[$"route {name}: USD per 1M tokens (in/out)"] = $"{Text(route["inputUsdPer1M"])}/{Text(route["outputUsdPer1M"])}";
        }

        if (plan["caps"] is JsonObject caps)
        {
            Add("router reserved concurrency", caps["routerReservedConcurrency"] ?? JsonValue.Create("none"));
            rows["gateway throttle (rate/burst)"] = $"{Text(caps["gatewayThrottleRatePerSecond"])}/{Text(caps["gatewayThrottleBurst"])}";
            foreach (var app in (caps["appMonthlyBudgetsUsd"] as JsonObject) ?? [])
            {
                rows[$"app {app.Key}: monthly budget USD"] = app.Value is null ? "none" : Text(app.Value);
            }
        }

        return rows;
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "none",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<decimal>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
