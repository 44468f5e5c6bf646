using LlmCost.Infra.Naming;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.SpendGuard;

/// <summary>
/// Who hears about the stack: an SNS topic encrypted with a customer managed KMS key (CloudWatch alarms and AWS
/// Budgets cannot publish to a topic encrypted with the AWS managed <c>aws/sns</c> key, whose policy does not let
/// them use it), a topic policy that lets exactly those two services of this account publish, and one e-mail
/// subscription per configured address (each confirmed once by its owner).
/// </summary>
internal sealed class Notifications : Component
{
    public Notifications(Component parent, AlertSettings alerts) : base(parent, "alerts")
    {
        var partition = Partitions.Of(Context.Region);
        var key = Add("key", "aws:kms/key:Key", Map(
            ("description", $"llm-cost {Context.Settings.Stack}: encrypts the alert topic; CloudWatch alarms and AWS Budgets may use it to publish"),
            ("enableKeyRotation", true),
            ("policy", ToJson(Policy(
                Map(("Sid", "AccountAdministers"), ("Effect", "Allow"),
                    ("Principal", Map(("AWS", Interpolate($"arn:{partition}:iam::", Context.AccountId, ":root")))),
                    ("Action", "kms:*"), ("Resource", "*")),
                Map(("Sid", "AlarmsAndBudgetsPublish"), ("Effect", "Allow"),
                    ("Principal", Map(("Service", Strings(["cloudwatch.amazonaws.com", "budgets.amazonaws.com"])))),
                    ("Action", Strings(["kms:Decrypt", "kms:GenerateDataKey*"])), ("Resource", "*")))))));

        var topic = Add("topic", "aws:sns/topic:Topic", Map(
            ("name", AwsNames.SnsTopicName.Join("-", Context.NamePrefix, "alerts")),
            ("kmsMasterKeyId", Ref(key.Name, "id"))));
        var topicArn = Ref(topic.Name, "arn");
        Add("topic-policy", "aws:sns/topicPolicy:TopicPolicy", Map(
            ("arn", topicArn),
            ("policy", ToJson(Policy(
                Map(("Sid", "CloudWatchAlarmsPublish"), ("Effect", "Allow"),
                    ("Principal", Map(("Service", "cloudwatch.amazonaws.com"))), ("Action", "sns:Publish"), ("Resource", topicArn),
                    ("Condition", Map(("StringEquals", Map(("aws:SourceAccount", Context.AccountId)))))),
                Map(("Sid", "BudgetsPublish"), ("Effect", "Allow"),
                    ("Principal", Map(("Service", "budgets.amazonaws.com"))), ("Action", "sns:Publish"), ("Resource", topicArn),
                    ("Condition", Map(
                        ("StringEquals", Map(("aws:SourceAccount", Context.AccountId))),
                        ("ArnLike", Map(("aws:SourceArn", Interpolate($"arn:{partition}:budgets::", Context.AccountId, ":*"))))))))))));

        for (var i = 0; i < alerts.Emails.Count; i++)
        {
            Add($"email-{i}", "aws:sns/topicSubscription:TopicSubscription", Map(
                ("topic", topicArn),
                ("protocol", "email"),
                ("endpoint", alerts.Emails[i])));
        }

        Outputs = new NotificationsOutputs(
            topicArn,
            alerts.ChatOpsTopicArn is { } chatOps ? [topicArn, chatOps] : [topicArn],
            alerts.ChatOpsTopicArn is { } budgetTopic ? budgetTopic : topicArn,
            alerts.Emails,
            BudgetTopicMailsEmails: alerts.ChatOpsTopicArn is null);
    }

    public NotificationsOutputs Outputs { get; }
}

/// <param name="AlarmActions">Where alarms publish: the stack's topic, and the chat-ops topic where one is configured.</param>
/// <param name="BudgetTopic">The one SNS subscriber a budget notification may have: the chat-ops topic where configured, else the stack's.</param>
/// <param name="BudgetTopicMailsEmails">Whether the budget's topic is the stack's own, whose e-mail subscriptions already reach the addresses.</param>
internal sealed record NotificationsOutputs(Value TopicArn, IReadOnlyList<Value> AlarmActions, Value BudgetTopic, IReadOnlyList<string> Emails, bool BudgetTopicMailsEmails)
{
    /// <summary>The addresses a budget notification names itself: none when its topic already mails them (each would get it twice).</summary>
    public Value? BudgetEmails => BudgetTopicMailsEmails || Emails.Count == 0 ? null : Strings(Emails);
}
