using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Synthesis;

namespace LlmCost.Infra.Stack;

/// <summary>What every component shares: the settings, the program being built and account-wide values.</summary>
internal sealed class StackContext(StackSettings settings, CostPlan costs, BundleLocator bundles)
{
    public StackSettings Settings { get; } = settings;

    /// <summary>Prices, sizing and forecast: what budgets, alarms and the router's price table are set from.</summary>
    public CostPlan Costs { get; } = costs;

    public BundleLocator Bundles { get; } = bundles;

    /// <summary>What a user must know about this deployment that the settings alone do not say; shown first in the plan and as an output.</summary>
    public List<string> Notes { get; } = [];

    public ProgramBuilder Program { get; } = new();

    /// <summary><c>${accountId}</c>, read at deploy time from the caller's identity.</summary>
    public ReferenceValue AccountId { get; } = new("accountId");

    public string Region => Settings.Region;

    /// <summary>The ARN partition of the region (aws, aws-cn, aws-us-gov): known from config, so no lookup at deploy time.</summary>
    public string Partition => Partitions.Of(Region);

    /// <summary>Physical-name prefix: project and stack, so stacks in one account never collide.</summary>
    public string NamePrefix => NamePrefixOf(Settings.Stack);

    public static string NamePrefixOf(string stack) => $"llm-cost-{stack}";

    public Value Arn(string service, string resource, bool withRegion = true, bool withAccount = true) =>
        Expr.Interpolate($"arn:{Partition}:{service}:{(withRegion ? Region : "")}:", withAccount ? AccountId : "", $":{resource}");
}

/// <summary>The ARN partition of a region (aws, aws-cn, aws-us-gov).</summary>
internal static class Partitions
{
    public static string Of(string region) => region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";
}
