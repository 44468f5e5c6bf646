using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components;

/// <summary>
/// Pins the AWS provider once, as the default for every resource and invoke, and tags everything the stack
/// creates so Cost Explorer can split the bill by stack. The version must equal the @pulumi/aws typings the
/// conformance check uses; a test keeps them together.
/// </summary>
internal sealed class AwsProvider : Component
{
    public const string Version = "7.48.0";

    public AwsProvider(StackRoot parent, AwsProviderArgs args) : base(parent, "aws")
    {
        AccountId = Declare(Context.Program, args.Region, args.Stack, args.Tags, Context.AccountId.Name);
    }

    /// <summary><c>${accountId}</c>: the deploying account, read at deploy time.</summary>
    public ReferenceValue AccountId { get; }

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

/// <param name="Tags">Extra tags on every resource, beside <c>llm-cost:stack</c> and <c>llm-cost:project</c>.</param>
internal sealed record AwsProviderArgs(string Region, string Stack, IReadOnlyDictionary<string, string> Tags);
