using LlmCost.CostModel;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Router.Tests;

/// <summary>
/// What the router tests rely on in <see cref="TestConfig.Prod"/>, the prod stack as synthesized: when the stack file
/// changes under them, this names what changed, before other tests fail in ways that look like the router's fault.
/// Every expectation is a literal from stacks/Pulumi.prod.yaml or the embedded price snapshot
/// (infra/LlmCost.Infra/Pricing/price-snapshot.json), never read back from the program.
/// </summary>
public sealed class TestConfigTests
{
    [Fact]
    public void Prod_SynthesizedFromTheStackFile_HasTheRoutesAppsAndLimitsTheRouterTestsRelyOn()
    {
        var config = TestConfig.Prod();

        config.Stack.Should().Be("prod");
        config.Region.Should().Be("us-east-1");
        config.LogPrompts.Should().BeFalse();
        config.Limits.Should().Be(new RequestLimits(128, 200_000), "llm-cost:gateway maxMessages and maxMessageChars");
        config.Prices.Should().Be(new PriceProvenance(PriceOriginKind.Snapshot, "2026-09-30"), "the snapshot's asOf");
        config.Budgets.Should().BeNull("TestConfig leaves budgets to the tests that bring a table");
        config.Routes.Should().Equal(
            // The fleet route on the SageMaker endpoint the stack names llm-cost-{stack}-fleet (fleet.platform sagemaker),
            // falling back to Bedrock. Priced at its instance-hour over the tokens it serves: ml.inf2.xlarge 0.99 USD/h
            // (snapshot) / (2000 tokens/s x 3600 s x 0.7) = 0.99 / 5.04M = 0.196429 per 1M (6 places), in and out.
            new RouteConfiguration("small", Backend.Fleet, "llama-3.1-8b-instruct", "llm-cost-prod-fleet", 8000, 1024, false, "small-bedrock",
                new TokenPrices(0.196429m, 0.196429m), new FleetTransport(FleetTransportKind.SageMakerEndpoint)),
            // crossRegion us: invoked through the us. cross-region profile; llama 3.1 8b at 0.22/0.22 (snapshot).
            new RouteConfiguration("small-bedrock", Backend.Bedrock, "meta.llama3-1-8b-instruct-v1:0", "us.meta.llama3-1-8b-instruct-v1:0", 8000, 1024, false, null,
                new TokenPrices(0.22m, 0.22m)),
            // Nova Lite on demand: 0.06 in, 0.24 out, 0.015 cache read, 0 cache write (snapshot).
            new RouteConfiguration("medium", Backend.Bedrock, "amazon.nova-lite-v1:0", "amazon.nova-lite-v1:0", 64000, 2048, false, "small-bedrock",
                new TokenPrices(0.06m, 0.24m, 0.015m, 0m)),
            // Claude Sonnet 4.5 through the us. profile, trimming input: 3.3 in, 16.5 out, 0.33 cache read, 4.125 cache write (snapshot).
            new RouteConfiguration("large", Backend.Bedrock, "anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", 100000, 4096, true, "medium",
                new TokenPrices(3.3m, 16.5m, 0.33m, 4.125m)));
        config.Auto.Should().BeEquivalentTo(new AutoRouting([new("small", 0.4m), new("medium", 0.75m), new("large", 1m)], AllowExplicitModels: true), o => o.WithStrictOrdering());
        // support-bot has inferenceProfiles: true, so an application inference profile on each Bedrock route; the
        // others have none. Client IDs and ARNs are TestConfig's stand-ins for the deploy-time values.
        config.Apps.Select(a => (a.Name, a.ClientId.Text, Profiles: string.Join(", ", a.Profiles.Select(p => $"{p.Route}={p.Arn.Text}")))).Should().Equal(
            ("support-bot", "client-support-bot",
                "small-bedrock=arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/support-bot-small-bedrock, "
                + "medium=arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/support-bot-medium, "
                + "large=arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/support-bot-large"),
            ("search", "client-search", ""),
            ("internal-tools", "client-internal-tools", ""));
    }

    [Fact]
    public void Prod_Parameters_ReplaceOnlyTheirSetting()
    {
        var config = TestConfig.Prod(logPrompts: true, allowExplicit: false, maxMessages: 3, maxMessageChars: 1_000_000);

        config.LogPrompts.Should().BeTrue();
        config.Auto.AllowExplicitModels.Should().BeFalse();
        config.Limits.Should().Be(new RequestLimits(3, 1_000_000));
        TestConfig.Prod(maxMessageChars: 5).Limits.Should().Be(new RequestLimits(128, 5), "maxMessages stays the stack's 128");
    }
}
