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
        var tags = new List<KeyValuePair<string, Value>>
        {
            new("llm-cost:stack", context.Settings.Stack),
            new("llm-cost:project", "llm-cost"),
        };
        tags.AddRange(context.Settings.Tags.Select(t => new KeyValuePair<string, Value>(t.Key, t.Value)));

        context.Program.AddResource(new ResourceDeclaration(
            Name("provider"),
            "pulumi:providers:aws",
            Map(("region", context.Region), ("defaultTags", Map(("tags", new MapValue(tags))))),
            new ResourceOptions { Version = Version },
            Path,
            DefaultProvider: true));

        context.Program.AddVariable(
            context.AccountId.Name,
            Invoke("aws:index/getCallerIdentity:getCallerIdentity", Map(), "accountId"),
            Path);
    }
}
