using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Settings;

/// <summary>
/// The traffic the stack is sized and forecast for. Hour-of-week profile (168 values from Monday 00:00 UTC), or
/// a baseline with a daily peak window, or a request history file (CSV or JSON lines).
/// </summary>
/// <param name="RouteShares">Fraction of requests per route (default: all on the first auto-routing tier).</param>
/// <param name="Uncertainty">Coefficient of variation of monthly demand, for the P90 forecast (default 0.25).</param>
/// <param name="MeanLatencySeconds">Average time the router waits on a backend: Lambda bills it (default 2).</param>
internal sealed record DemandSettings(
    IReadOnlyList<decimal>? HourlyRequestsPerSecond,
    decimal BaselineRequestsPerSecond,
    decimal PeakRequestsPerSecond,
    int PeakStartHour,
    int PeakEndHour,
    bool PeakWeekdaysOnly,
    int InputTokensPerRequest,
    int OutputTokensPerRequest,
    IReadOnlyDictionary<string, decimal> RouteShares,
    decimal Uncertainty,
    decimal MeanLatencySeconds,
    string? HistoryFile)
{
    public const string Key = StackFileReader.ProjectNamespace + ":demand";
    public const decimal DefaultBaselineRequestsPerSecond = 0.1m;
    public const int DefaultPeakStartHour = 8;
    public const int DefaultPeakEndHour = 20;
    public const bool DefaultPeakWeekdaysOnly = true;
    public const int DefaultInputTokensPerRequest = 1000;
    public const int DefaultOutputTokensPerRequest = 300;
    public const decimal DefaultUncertainty = 0.25m;
    public const decimal DefaultMeanLatencySeconds = 2m;

    public static string KeyOf(string field) => $"{Key}.{field}";
}

/// <summary>Reads <c>Demand</c> settings; stops at the first bad key, naming it.</summary>
internal static class DemandSettingsReader
{
    public static DemandSettings Read(ConfigNode node, IReadOnlyList<RouteSettings> routes, AutoRoutingSettings auto)
    {
        IReadOnlyList<decimal>? hourly = null;
        if (node.Raw("hourlyRequestsPerSecond") is { } raw)
        {
            hourly = raw is System.Text.Json.Nodes.JsonArray a && a.Count == 168
                && a.All(v => v is System.Text.Json.Nodes.JsonValue n && n.TryGetValue<decimal>(out var d) && d >= 0)
                ? a.Select(v => v!.GetValue<decimal>()).ToList()
                : throw node.Error("hourlyRequestsPerSecond", $"expected 168 non-negative numbers (one per hour of the week from Monday 00:00 UTC), got {raw.ToJsonString()[..Math.Min(60, raw.ToJsonString().Length)]}");
        }

        var baseline = node.Decimal("baselineRequestsPerSecond", DemandSettings.DefaultBaselineRequestsPerSecond, 0m, 100_000m);
        var shares = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (node.Has("routeShares"))
        {
            var sharesNode = node.Child("routeShares");
            foreach (var route in routes)
            {
                if (sharesNode.Has(route.Name))
                {
                    shares[route.Name] = sharesNode.Decimal(route.Name, 0, 0, 1);
                }
            }

            sharesNode.RejectUnknown();
            var total = shares.Values.Sum();
            if (Math.Abs(total - 1m) > 0.001m)
            {
                throw node.Error("routeShares", $"shares must add up to 1, got {total}");
            }
        }
        else
        {
            shares[auto.Tiers[0].Route] = 1m;
        }

        var settings = new DemandSettings(
            HourlyRequestsPerSecond: hourly,
            BaselineRequestsPerSecond: baseline,
            PeakRequestsPerSecond: node.Decimal("peakRequestsPerSecond", baseline, baseline, 100_000m),
            PeakStartHour: node.Int("peakStartHour", DemandSettings.DefaultPeakStartHour, 0, 23),
            PeakEndHour: node.Int("peakEndHour", DemandSettings.DefaultPeakEndHour, 1, 24),
            PeakWeekdaysOnly: node.Bool("peakWeekdaysOnly", DemandSettings.DefaultPeakWeekdaysOnly),
            InputTokensPerRequest: node.Int("inputTokensPerRequest", DemandSettings.DefaultInputTokensPerRequest, 1, 2_000_000),
            OutputTokensPerRequest: node.Int("outputTokensPerRequest", DemandSettings.DefaultOutputTokensPerRequest, 1, 200_000),
            RouteShares: shares,
            Uncertainty: node.Decimal("uncertainty", DemandSettings.DefaultUncertainty, 0m, 3m),
            MeanLatencySeconds: node.Decimal("meanLatencySeconds", DemandSettings.DefaultMeanLatencySeconds, 0.01m, 900m),
            HistoryFile: node.String("historyFile"));
        if (settings.PeakEndHour <= settings.PeakStartHour)
        {
            throw node.Error("peakEndHour", $"must be after peakStartHour ({settings.PeakStartHour}), got {settings.PeakEndHour}");
        }

        node.RejectUnknown();
        return settings;
    }
}
