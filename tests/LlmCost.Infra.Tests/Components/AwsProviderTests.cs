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
}
