using System.Globalization;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.SpendGuard;

/// <summary>
/// An AWS Budget on the stack's own costs: filtered by the <c>llm-cost:stack</c> cost allocation tag every resource
/// carries (the tag must be activated once per payer account before Budgets can see it), the amount from the plan's
/// P90 month unless configured, with notifications on actual and forecasted spend. Bedrock usage carries the tag
/// only when it goes through the stack's application inference profiles; the spend alarms watch all of it.
/// </summary>
internal sealed class CostBudget : Component
{
    public const string StackTag = "llm-cost:stack";

    public CostBudget(Component parent, CostBudgetArgs args) : base(parent, "budget")
    {
        var alerts = Context.Settings.Alerts;
        var notifications = alerts.ActualPercents.Select(p => Notification("ACTUAL", p, args.Notifications))
            .Concat(alerts.ForecastedPercents.Select(p => Notification("FORECASTED", p, args.Notifications)));
        Add("monthly", "aws:budgets/budget:Budget", Map(
            ("name", AwsNames.BudgetName.Join("-", Context.NamePrefix)),
            ("budgetType", "COST"),
            ("timeUnit", "MONTHLY"),
            ("limitAmount", args.Thresholds.MonthlyBudgetUsd.ToString("0.00", CultureInfo.InvariantCulture)),
            ("limitUnit", "USD"),
            ("costFilters", List(Map(("name", "TagKeyValue"), ("values", Strings([$"user:{StackTag}${Context.Settings.Stack}"]))))),
            ("notifications", List(notifications))));
    }

    private static MapValue Notification(string type, int percent, NotificationsOutputs to) => Map(
        ("notificationType", type),
        ("comparisonOperator", "GREATER_THAN"),
        ("threshold", percent),
        ("thresholdType", "PERCENTAGE"),
        ("subscriberSnsTopicArns", List(to.BudgetTopic)),
        ("subscriberEmailAddresses", to.BudgetEmails));
}

internal sealed record CostBudgetArgs(SpendThresholds Thresholds, NotificationsOutputs Notifications);
