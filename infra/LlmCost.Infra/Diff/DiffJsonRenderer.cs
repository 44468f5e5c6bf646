using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmCost.Infra.Diff;

/// <summary>The report as JSON (<c>cost diff --format json</c>), for scripts such as the workflow's quiet check.</summary>
internal static class DiffJsonRenderer
{
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(CostDiffReport r, string? chartPath)
    {
        var root = new JsonObject
        {
            ["schemaVersion"] = SchemaVersion,
            ["stack"] = r.Stack,
            ["summary"] = DiffSummary.Line(r),
            ["newStack"] = r.NewStack,
            ["changed"] = r.Changed,
            ["costsChanged"] = r.CostsChanged,
            ["settingsChanged"] = r.SettingsChanged,
            ["resourcesChanged"] = r.ResourcesChanged,
            ["base"] = r.Base.Origin,
            ["head"] = r.Head.Origin,
            ["monthlyP50"] = new JsonObject { ["before"] = r.MonthlyBefore, ["after"] = r.MonthlyAfter, ["change"] = r.MonthlyChange },
            ["savingsPlanCommitmentUsdPerHour"] = new JsonObject { ["before"] = r.CommitmentBefore, ["after"] = r.CommitmentAfter, ["change"] = r.CommitmentChange },
            ["lines"] = new JsonArray(r.Lines.Select(l => (JsonNode?)new JsonObject
            {
                ["line"] = l.Line,
                ["p50Before"] = l.P50Before,
                ["p50After"] = l.P50After,
                ["p50Change"] = l.P50Change,
                ["p90Before"] = l.P90Before,
                ["p90After"] = l.P90After,
                ["p90Change"] = l.P90Change,
            }).ToArray()),
            ["settings"] = new JsonArray(r.Settings.Select(s => (JsonNode?)new JsonObject
            {
                ["setting"] = s.Setting,
                ["before"] = s.Before,
                ["after"] = s.After,
                ["changed"] = s.Changed,
            }).ToArray()),
            ["resources"] = r.Resources is null ? null : new JsonArray(r.Resources.Select(c => (JsonNode?)new JsonObject
            {
                ["change"] = c.Kind,
                ["type"] = c.Type,
                ["name"] = c.Name,
                ["properties"] = new JsonArray(c.Properties.Select(p => (JsonNode?)new JsonObject
                {
                    ["property"] = p.Property,
                    ["before"] = p.Before,
                    ["after"] = p.After,
                }).ToArray()),
            }).ToArray()),
            ["hourlyUsdP50"] = new JsonObject
            {
                ["before"] = r.HourlyBefore is null ? null : new JsonArray(r.HourlyBefore.Select(v => (JsonNode?)v).ToArray()),
                ["after"] = new JsonArray(r.HourlyAfter.Select(v => (JsonNode?)v).ToArray()),
            },
            ["chart"] = chartPath,
        };
        return root.ToJsonString(Indented) + "\n";
    }
}
