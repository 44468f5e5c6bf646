using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components;

/// <summary>
/// Pins the AWS provider once, as the default for every resource and invoke, and tags everything the stack
/// creates so Cost Explorer can split the bill by stack. The version must equal the @pulumi/aws typings the
/// conformance check uses; a test keeps them together.
/// </summary>
public sealed class AwsProvider : Component
{
    public const string Version = "7.48.0";

    public AwsProvider(StackContext context) : base(context, "aws")
    {
        Declare(context.Program, context.Region, context.Settings.Stack, context.Settings.Tags, context.AccountId.Name);
    }

    /// <summary>The pinned default provider with the stack's tags, and the <c>accountId</c> variable read at deploy time.</summary>
    public static ReferenceValue Declare(ProgramBuilder program, string region, string stack, IReadOnlyDictionary<string, string> extraTags, string accountIdVariable = "accountId")
    {
        var tags = new List<KeyValuePair<string, Value>>
        {
            new("llm-cost:stack", stack),
            new("llm-cost:project", "llm-cost"),
        };
        tags.AddRange(extraTags.Select(t => new KeyValuePair<string, Value>(t.Key, t.Value)));

        program.AddResource(new ResourceDeclaration(
            "aws-provider",
            "pulumi:providers:aws",
            Map(("region", region), ("defaultTags", Map(("tags", new MapValue(tags))))),
            new ResourceOptions { Version = Version },
            "aws",
            DefaultProvider: true));

        return program.AddVariable(accountIdVariable, Invoke("aws:index/getCallerIdentity:getCallerIdentity", Map(), "accountId"), "aws");
    }
}
