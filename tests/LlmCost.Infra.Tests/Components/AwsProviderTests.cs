namespace LlmCost.Infra.Tests.Components;

/// <summary>The pinned default AWS provider: version, region and the tags every resource carries, on printed programs.</summary>
public sealed class AwsProviderTests
{
    public static TheoryData<string> Stacks => new(Repo.Stacks);

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Provider_IsPinnedOnceAsDefault(string stack)
    {
        var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);

        var providers = query.OfType("pulumi:providers:aws").ToList();
        providers.Should().ContainSingle();
        providers[0].Resource["defaultProvider"]!.GetValue<bool>().Should().BeTrue();
        providers[0].Resource["options"]!["version"]!.GetValue<string>().Should().Be("7.48.0", "the @pulumi/aws version the conformance check types against");
        query.Resources.Where(r => r.Value!["options"]?["version"] is not null).Should().ContainSingle("only the provider pins a version");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Provider_RegionAndDefaultTagsAreTheStackFiles(string stack)
    {
        var provider = ProgramQuery.Of(Repo.Synthesize(stack).Program).Properties("aws-provider");

        // Every stack file: aws:region us-east-1; llm-cost:tags CostCenter ml-platform, Environment the stack's name;
        // before them the two tags every resource carries.
        provider["region"]!.GetValue<string>().Should().Be("us-east-1");
        provider["defaultTags"]!.ToJsonString().Should().Be(
            $$$"""{"tags":{"llm-cost:stack":"{{{stack}}}","llm-cost:project":"llm-cost","CostCenter":"ml-platform","Environment":"{{{stack}}}"}}""");
    }
}
