using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LlmCost.Infra.Settings;

/// <summary>
/// <c>llm-cost:alerts</c>: who hears about spend and failures, and how far above the plan an alarm fires. Every
/// threshold comes from the cost plan times a margin, or from here; none is a bare literal in a component.
/// </summary>
/// <param name="Emails">Addresses subscribed to the stack's alert topic (each confirms once by e-mail) and named on budget notifications.</param>
/// <param name="ChatOpsTopicArn">An existing SNS topic (e.g. AWS Chatbot's) that alarms also notify and budgets notify instead of the stack's own topic.</param>
/// <param name="SpendMargin">Spend alarms fire above the plan's P90 hour or day times this (default <see cref="DefaultSpendMargin"/>).</param>
/// <param name="HourlySpendUsd">Fixed hourly spend threshold instead of the plan's.</param>
/// <param name="DailySpendUsd">Fixed daily spend threshold instead of the plan's.</param>
/// <param name="LatencyP99Ms">Gateway p99 latency alarm (default <see cref="DefaultLatencyP99Ms"/>: well inside the 29 s gateway timeout).</param>
/// <param name="ErrorRatePercent">Gateway 5xx and router failure rate alarms (default <see cref="DefaultErrorRatePercent"/>).</param>
/// <param name="MonthlyBudgetUsd">The AWS Budget's amount instead of the plan's P90 month.</param>
/// <param name="ActualPercents">Budget notifications on actual spend (default 80 and 100).</param>
/// <param name="ForecastedPercents">Budget notifications on AWS's month-end forecast (default 100).</param>
internal sealed record AlertSettings(
    IReadOnlyList<string> Emails,
    string? ChatOpsTopicArn,
    decimal SpendMargin,
    decimal? HourlySpendUsd,
    decimal? DailySpendUsd,
    int LatencyP99Ms,
    decimal ErrorRatePercent,
    decimal? MonthlyBudgetUsd,
    IReadOnlyList<int> ActualPercents,
    IReadOnlyList<int> ForecastedPercents)
{
    public const string Key = StackFileReader.ProjectNamespace + ":alerts";
    public const decimal DefaultSpendMargin = 1.5m;
    public const int DefaultLatencyP99Ms = 20_000;
    public const decimal DefaultErrorRatePercent = 5m;
    public static readonly IReadOnlyList<int> DefaultActualPercents = [80, 100];
    public static readonly IReadOnlyList<int> DefaultForecastedPercents = [100];

    /// <summary>AWS Budgets: at most 5 notifications per budget and 10 e-mail subscribers per notification.</summary>
    public const int MaxBudgetNotifications = 5;
    public const int MaxBudgetEmails = 10;
}

internal static class AlertSettingsReader
{
    private const string EmailPattern = @"^[^@\s,""]+@[^@\s,""]+\.[^@\s,""]+$";
    private const string TopicArnPattern = @"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$";

    public static AlertSettings Read(StackConfig config, string region)
    {
        var node = ConfigNode.Parse(config.Source, AlertSettings.Key, config.Values.GetValueOrDefault(AlertSettings.Key));
        var emails = Strings(node, "emails");
        for (var i = 0; i < emails.Count; i++)
        {
            if (!Regex.IsMatch(emails[i], EmailPattern))
            {
                throw new ConfigError(config.Source, $"{node.Key("emails")}[{i}]", $"expected an e-mail address, got \"{emails[i]}\"");
            }
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < emails.Count; i++)
        {
            if (!seen.Add(emails[i]))
            {
                // Two subscriptions to one address are one in SNS: deleting either would remove both.
                throw new ConfigError(config.Source, $"{node.Key("emails")}[{i}]", $"\"{emails[i]}\" is listed twice");
            }
        }

        if (emails.Count > AlertSettings.MaxBudgetEmails)
        {
            throw node.Error("emails", $"AWS Budgets notifies at most {AlertSettings.MaxBudgetEmails} addresses; got {emails.Count} (use a distribution list or chatOpsTopicArn)");
        }

        var settings = new AlertSettings(
            Emails: emails,
            ChatOpsTopicArn: node.String("chatOpsTopicArn", null, TopicArnPattern, "an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:chatops"),
            SpendMargin: node.Decimal("spendMargin", AlertSettings.DefaultSpendMargin, 1m, 100m),
            HourlySpendUsd: node.Has("hourlySpendUsd") ? node.Decimal("hourlySpendUsd", 0, 0.01m, 10_000_000m) : null,
            DailySpendUsd: node.Has("dailySpendUsd") ? node.Decimal("dailySpendUsd", 0, 0.01m, 10_000_000m) : null,
            LatencyP99Ms: node.Int("latencyP99Ms", AlertSettings.DefaultLatencyP99Ms, 100, CostModel.ApiSurface.GatewayTimeoutMs),
            ErrorRatePercent: node.Decimal("errorRatePercent", AlertSettings.DefaultErrorRatePercent, 0.1m, 100m),
            MonthlyBudgetUsd: node.Has("monthlyBudgetUsd") ? node.Decimal("monthlyBudgetUsd", 0, 1m, 100_000_000m) : null,
            ActualPercents: Percents(node, "actualPercents", AlertSettings.DefaultActualPercents),
            ForecastedPercents: Percents(node, "forecastedPercents", AlertSettings.DefaultForecastedPercents));
        node.RejectUnknown();

        if (settings.ChatOpsTopicArn is { } arn && arn.Split(':')[3] != region)
        {
            // CloudWatch alarms publish only to topics in their own region.
            throw node.Error("chatOpsTopicArn", $"must be a topic in the stack's region ({region}): CloudWatch alarms cannot notify a topic in {arn.Split(':')[3]}");
        }

        if (settings.Emails.Count == 0 && settings.ChatOpsTopicArn is null)
        {
            throw new ConfigError(config.Source, AlertSettings.Key,
                "the stack's spend and failure alarms need someone to tell: set emails (a list of addresses) or chatOpsTopicArn (an existing SNS topic)");
        }

        if (settings.ActualPercents.Count + settings.ForecastedPercents.Count > AlertSettings.MaxBudgetNotifications)
        {
            throw node.Error("actualPercents", $"AWS Budgets allows at most {AlertSettings.MaxBudgetNotifications} notifications per budget; actualPercents and forecastedPercents ask for {settings.ActualPercents.Count + settings.ForecastedPercents.Count}");
        }

        return settings;
    }

    private static List<string> Strings(ConfigNode node, string field) => node.Raw(field) switch
    {
        null => [],
        JsonArray a when a.All(v => v is JsonValue s && s.TryGetValue<string>(out _)) => a.Select(v => v!.GetValue<string>()).ToList(),
        var other => throw node.Error(field, $"expected a list of strings, got {other.ToJsonString()}"),
    };

    private static List<int> Percents(ConfigNode node, string field, IReadOnlyList<int> fallback)
    {
        if (node.Raw(field) is not { } raw)
        {
            return [.. fallback];
        }

        return raw is JsonArray a && a.All(v => v is JsonValue n && n.TryGetValue<int>(out var p) && p is > 0 and <= 1000)
            ? a.Select(v => v!.GetValue<int>()).Distinct().Order().ToList()
            : throw node.Error(field, $"expected a list of whole percentages from 1 to 1000, got {raw.ToJsonString()}");
    }
}
