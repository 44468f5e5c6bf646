using LlmCost.CostModel;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components;

/// <summary>
/// Where the router keeps each app's month-to-date spend so that budgets hold under concurrency: a DynamoDB table
/// (on demand, encrypted, point-in-time recovery, old months expiring through TTL) that the router reserves against
/// with conditional writes. Only a stack with budgeted apps has one.
/// </summary>
internal sealed class BudgetStore : Component, IRouterGrant
{
    private readonly ReferenceValue _table;

    public BudgetStore(Component parent, BudgetStoreArgs args) : base(parent, "budgets")
    {
        var name = AwsNames.DynamoDbTableName.Join("-", Context.NamePrefix, "budgets");
        _table = Add("table", "aws:dynamodb/table:Table", Map(
            ("name", name),
            ("billingMode", "PAY_PER_REQUEST"),
            ("hashKey", BudgetStoreConfiguration.PartitionKey),
            ("attributes", List(Map(("name", BudgetStoreConfiguration.PartitionKey), ("type", "S")))),
            ("serverSideEncryption", Map(("enabled", true))),
            ("pointInTimeRecovery", Map(("enabled", true))),
            ("ttl", Map(("attributeName", BudgetStoreConfiguration.TtlAttribute), ("enabled", true)))));
        Configuration = new BudgetStoreConfiguration(name, args.WhenUnavailable);
    }

    /// <summary>The router configuration's part: the table and what to do when it cannot be reached.</summary>
    public BudgetStoreConfiguration Configuration { get; }

    public IReadOnlyList<Value> RouterStatements =>
        [Allow("ReserveAndSettleAppBudgets", ["dynamodb:GetItem", "dynamodb:UpdateItem"], [Ref(_table.Name, "arn")])];
}

/// <param name="WhenUnavailable"><c>refuse</c> or <c>allow</c>: llm-cost:router.budgetStoreUnavailable.</param>
internal sealed record BudgetStoreArgs(string WhenUnavailable);
