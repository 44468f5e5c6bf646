using LlmCost.Infra.Naming;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.SpendGuard;

/// <summary>
/// Where the plan recommends a Savings Plan: a budget that warns when the account's Savings Plans are used less than
/// the recommendation expects (money committed for hours the fleet did not run). AWS allows only 100 % as the limit
/// of a utilization budget; the warning is the notification below it.
/// </summary>
internal sealed class SavingsPlanUtilizationBudget : Component
{
    public SavingsPlanUtilizationBudget(Component parent, SavingsPlanUtilizationBudgetArgs args) : base(parent, "savings-plan-budget")
    {
        Add("utilization", "aws:budgets/budget:Budget", Map(
            ("name", AwsNames.BudgetName.Join("-", Context.NamePrefix, "savings-plan-utilization")),
            ("budgetType", "SAVINGS_PLANS_UTILIZATION"),
            ("timeUnit", "MONTHLY"),
            ("limitAmount", "100"),
            ("limitUnit", "PERCENTAGE"),
            // Utilization budgets take only these cost types (the Budgets API refuses others for them).
            ("costTypes", Map(
                ("includeCredit", false), ("includeDiscount", false), ("includeOtherSubscription", false), ("includeRecurring", false),
                ("includeRefund", false), ("includeSubscription", true), ("includeSupport", false), ("includeTax", false),
                ("includeUpfront", false), ("useBlended", false))),
            ("notifications", List(Map(
                ("notificationType", "ACTUAL"),
                ("comparisonOperator", "LESS_THAN"),
                ("threshold", args.WarnBelowPercent),
                ("thresholdType", "PERCENTAGE"),
                ("subscriberSnsTopicArns", List(args.Notifications.BudgetTopic)),
                ("subscriberEmailAddresses", args.Notifications.BudgetEmails))))));
    }
}

/// <param name="WarnBelowPercent">Warn when utilization falls below this: the recommendation's expected utilization less a tolerance.</param>
internal sealed record SavingsPlanUtilizationBudgetArgs(int WarnBelowPercent, NotificationsOutputs Notifications);
