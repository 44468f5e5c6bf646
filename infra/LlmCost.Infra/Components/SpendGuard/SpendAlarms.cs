using System.Globalization;
using LlmCost.CostModel;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.SpendGuard;

/// <summary>
/// The alarms that make spend and failures visible before the bill does: router-recorded spend per hour and per
/// day above the plan's P90 (times a margin); token volume outside CloudWatch's learned band; gateway p99 latency,
/// 5xx rate and throttling; router errors, throttles, near-timeout durations and failed requests; and each app's
/// daily spend against the pace its monthly budget allows. Metric names come from <see cref="UsageMetrics"/> and
/// the two log metric filters declared here.
/// </summary>
internal sealed class SpendAlarms : Component
{
    /// <summary>Metrics this component derives from logs (the EMF records carry no outcome dimension, the access log no metric at all).</summary>
    public const string FailedRequestsMetric = "failedRequests";
    public const string RequestsByOutcomeMetric = "requestsByOutcome";
    public const string GatewayThrottledMetric = "gatewayThrottledRequests";
    public const string OutcomeDimension = "outcome";

    private readonly IReadOnlyList<Value> _actions;

    public SpendAlarms(Component parent, SpendAlarmsArgs args) : base(parent, "alarms")
    {
        _actions = args.Notifications.AlarmActions;
        var stack = Context.Settings.Stack;
        var alerts = Context.Settings.Alerts;
        var stackOnly = Map((UsageMetrics.StackDimension, stack));
        var t = args.Thresholds;

        Alarm("spend-hour", $"Router-recorded spend in one hour is above the plan: {t.Basis}.", Map(
            ("namespace", UsageMetrics.Namespace), ("metricName", UsageMetrics.CostUsd.Name), ("dimensions", stackOnly),
            ("statistic", "Sum"), ("period", 3600), ("evaluationPeriods", 1), ("threshold", t.HourlyUsd), ("comparisonOperator", "GreaterThanThreshold")));
        Alarm("spend-day", $"Router-recorded spend in one day is above the plan: {t.Basis}.", Map(
            ("namespace", UsageMetrics.Namespace), ("metricName", UsageMetrics.CostUsd.Name), ("dimensions", stackOnly),
            ("statistic", "Sum"), ("period", 86_400), ("evaluationPeriods", 1), ("threshold", t.DailyUsd), ("comparisonOperator", "GreaterThanThreshold")));

        foreach (var metric in new[] { UsageMetrics.InputTokens, UsageMetrics.OutputTokens })
        {
            Alarm($"{metric.Name.ToLowerInvariant()}-anomaly", $"Hourly {metric.Name} is above the band CloudWatch learned from this stack's own history (3 standard deviations).", Map(
                ("comparisonOperator", "GreaterThanUpperThreshold"), ("evaluationPeriods", 3), ("datapointsToAlarm", 2), ("thresholdMetricId", "band"),
                ("metricQueries", List(
                    Map(("id", "m1"), ("returnData", true), ("metric", Map(
                        ("namespace", UsageMetrics.Namespace), ("metricName", metric.Name), ("dimensions", stackOnly), ("period", 3600), ("stat", "Sum")))),
                    Map(("id", "band"), ("expression", "ANOMALY_DETECTION_BAND(m1, 3)"), ("label", $"{metric.Name} expected band"), ("returnData", true))))));
        }

        var gateway = Map(("ApiName", args.ApiName), ("Stage", args.StageName));
        Alarm("gateway-latency-p99", $"Gateway p99 latency above {alerts.LatencyP99Ms} ms (llm-cost:alerts.latencyP99Ms) in 2 of 3 five-minute periods.", Map(
            ("namespace", "AWS/ApiGateway"), ("metricName", "Latency"), ("dimensions", gateway), ("extendedStatistic", "p99"),
            ("period", 300), ("evaluationPeriods", 3), ("datapointsToAlarm", 2), ("threshold", alerts.LatencyP99Ms), ("comparisonOperator", "GreaterThanThreshold")));
        Alarm("gateway-5xx-rate", $"More than {alerts.ErrorRatePercent}% of gateway answers are 5xx (llm-cost:alerts.errorRatePercent) in 2 of 3 five-minute periods.", Map(
            ("namespace", "AWS/ApiGateway"), ("metricName", "5XXError"), ("dimensions", gateway), ("statistic", "Average"),
            ("period", 300), ("evaluationPeriods", 3), ("datapointsToAlarm", 2), ("threshold", alerts.ErrorRatePercent / 100m), ("comparisonOperator", "GreaterThanThreshold")));

        // API Gateway publishes no throttle metric: count the refusals its access log marks THROTTLED (not the
        // router's own 429s, such as budget_exceeded, which pass through the proxy integration).
        Add("gateway-throttled-filter", "aws:cloudwatch/logMetricFilter:LogMetricFilter", Map(
            ("name", $"{Context.NamePrefix}-{GatewayThrottledMetric}"),
            ("logGroupName", Ref(args.AccessLogGroup.Name, "name")),
            ("pattern", "{ $.error = \"THROTTLED\" }"),
            ("metricTransformation", Map(("name", GatewayThrottledMetric), ("namespace", UsageMetrics.Namespace), ("value", "1"), ("unit", "Count"),
                ("dimensions", Map((UsageMetrics.StackDimension, "$.stack")))))));
        Alarm("gateway-throttled", $"The gateway's throttling (llm-cost:gateway.throttleRatePerSecond {Context.Settings.Gateway.ThrottleRatePerSecond}, burst {Context.Settings.Gateway.ThrottleBurst}) refused requests with 429 in three five-minute periods in a row: demand is above what the stage admits.", Map(
            ("namespace", UsageMetrics.Namespace), ("metricName", GatewayThrottledMetric), ("dimensions", stackOnly), ("statistic", "Sum"),
            ("period", 300), ("evaluationPeriods", 3), ("threshold", 0), ("comparisonOperator", "GreaterThanThreshold")));

        var function = Map(("FunctionName", args.FunctionName));
        Alarm("router-errors", "The router function failed invocations (unhandled errors) in 2 of 3 five-minute periods.", Map(
            ("namespace", "AWS/Lambda"), ("metricName", "Errors"), ("dimensions", function), ("statistic", "Sum"),
            ("period", 300), ("evaluationPeriods", 3), ("datapointsToAlarm", 2), ("threshold", 0), ("comparisonOperator", "GreaterThanThreshold")));
        Alarm("router-throttles", "Lambda throttled the router (its reserved concurrency, llm-cost:router.reservedConcurrency, or the account's limit): the gateway answered those callers with a 5xx.", Map(
            ("namespace", "AWS/Lambda"), ("metricName", "Throttles"), ("dimensions", function), ("statistic", "Sum"),
            ("period", 300), ("evaluationPeriods", 1), ("threshold", 0), ("comparisonOperator", "GreaterThanThreshold")));
        var nearTimeoutMs = Context.Settings.Router.TimeoutSeconds * 900;
        Alarm("router-duration-p99", $"Router p99 duration above 90% of its {Context.Settings.Router.TimeoutSeconds} s timeout in 2 of 3 five-minute periods.", Map(
            ("namespace", "AWS/Lambda"), ("metricName", "Duration"), ("dimensions", function), ("extendedStatistic", "p99"),
            ("period", 300), ("evaluationPeriods", 3), ("datapointsToAlarm", 2), ("threshold", nearTimeoutMs), ("comparisonOperator", "GreaterThanThreshold")));

        // Failed requests by outcome, from the usage records (one per request): the rate alarms, the outcome splits the dashboard.
        Add("failed-requests-filter", "aws:cloudwatch/logMetricFilter:LogMetricFilter", Map(
            ("name", $"{Context.NamePrefix}-{FailedRequestsMetric}"),
            ("logGroupName", args.RouterLogGroupName),
            ("pattern", "{ $.recordType = \"llm-cost.usage\" && $.status >= 500 }"),
            ("metricTransformation", Map(("name", FailedRequestsMetric), ("namespace", UsageMetrics.Namespace), ("value", "1"), ("unit", "Count"),
                ("dimensions", Map((UsageMetrics.StackDimension, "$.stack")))))),
            new ResourceOptions { DependsOn = [args.RouterLogGroup.Name] });
        Add("outcomes-filter", "aws:cloudwatch/logMetricFilter:LogMetricFilter", Map(
            ("name", $"{Context.NamePrefix}-{RequestsByOutcomeMetric}"),
            ("logGroupName", args.RouterLogGroupName),
            ("pattern", "{ $.recordType = \"llm-cost.usage\" }"),
            ("metricTransformation", Map(("name", RequestsByOutcomeMetric), ("namespace", UsageMetrics.Namespace), ("value", "1"), ("unit", "Count"),
                ("dimensions", Map((UsageMetrics.StackDimension, "$.stack"), (OutcomeDimension, "$.outcome")))))),
            new ResourceOptions { DependsOn = [args.RouterLogGroup.Name] });
        Alarm("router-failure-rate", $"More than {alerts.ErrorRatePercent}% of requests failed at the router (5xx, any outcome) in 2 of 3 five-minute periods.", Map(
            ("comparisonOperator", "GreaterThanThreshold"), ("evaluationPeriods", 3), ("datapointsToAlarm", 2), ("threshold", alerts.ErrorRatePercent),
            ("metricQueries", List(
                Map(("id", "failed"), ("returnData", false), ("metric", Map(
                    ("namespace", UsageMetrics.Namespace), ("metricName", FailedRequestsMetric), ("dimensions", stackOnly), ("period", 300), ("stat", "Sum")))),
                Map(("id", "all"), ("returnData", false), ("metric", Map(
                    ("namespace", UsageMetrics.Namespace), ("metricName", UsageMetrics.Requests.Name), ("dimensions", stackOnly), ("period", 300), ("stat", "Sum")))),
                Map(("id", "rate"), ("expression", "100 * FILL(failed, 0) / all"), ("label", "failed requests, %"), ("returnData", true))))));

        foreach (var app in Context.Settings.Apps.Where(a => a.MonthlyBudgetUsd is not null))
        {
            // An alarm sees at most a day: the daily pace that would spend the monthly budget in an average month.
            var pace = Math.Ceiling(app.MonthlyBudgetUsd!.Value / (Sizing.DemandProfile.HoursPerMonth / 24m) * 100m) / 100m;
            Alarm($"app-{app.Name}-budget-pace", $"App {app.Name} spent more in a day than its monthly budget of {app.MonthlyBudgetUsd} USD allows on average ({pace.ToString(CultureInfo.InvariantCulture)} USD/day).", Map(
                ("namespace", UsageMetrics.Namespace), ("metricName", UsageMetrics.CostUsd.Name),
                ("dimensions", Map((UsageMetrics.StackDimension, stack), (UsageMetrics.AppDimension, app.Name))),
                ("statistic", "Sum"), ("period", 86_400), ("evaluationPeriods", 1), ("threshold", pace), ("comparisonOperator", "GreaterThanThreshold")));
        }
    }

    // No data is no traffic, not a failure: quiet stacks must not page anyone.
    private void Alarm(string id, string description, MapValue definition) =>
        Add(id, "aws:cloudwatch/metricAlarm:MetricAlarm", Properties(AwsNames.AlarmName.Join("-", Context.NamePrefix, id), description, _actions, "notBreaching", definition));

    /// <summary>An alarm's properties: its name, description, who it notifies and how it reads missing data, then its metric definition.</summary>
    internal static MapValue Properties(string name, string description, IReadOnlyList<Value> actions, string treatMissingData, MapValue definition)
    {
        var entries = new List<KeyValuePair<string, Value>>
        {
            new("name", name),
            new("alarmDescription", description),
            new("alarmActions", List(actions)),
            new("treatMissingData", treatMissingData),
        };
        entries.AddRange(definition.Entries);
        return new MapValue(entries);
    }
}

/// <param name="ApiName">The REST API's name: API Gateway's metrics are keyed by it.</param>
internal sealed record SpendAlarmsArgs(
    SpendThresholds Thresholds,
    NotificationsOutputs Notifications,
    string ApiName,
    string StageName,
    ReferenceValue AccessLogGroup,
    string FunctionName,
    ReferenceValue RouterLogGroup,
    Value RouterLogGroupName);
