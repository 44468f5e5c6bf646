using System.Text.Json;
using LlmCost.Router.Configuration;
using LlmCost.Router.Tests.Servers;

namespace LlmCost.Router.Tests;

/// <summary>
/// prod's synthesized document against local servers: its fleet route reaches the SageMaker endpoint the stack
/// creates, by the name the program gives it, and its Bedrock fallback serves when that endpoint is missing,
/// throttled or failing.
/// </summary>
public sealed partial class SynthesizedConfigurationTests
{
    private const string ShortPrompt = """{"model":"auto","messages":[{"role":"user","content":"hello"}]}""";

    /// <summary>prod's document without its budget table (BudgetTests cover that with dynalite): the fleet is what is under test.</summary>
    private static LlmCost.CostModel.RouterConfiguration ProdWithoutBudgets()
    {
        var config = RouterConfigurationLoader.Parse(DeployedDocument("prod"));
        return config with { Budgets = null, Apps = config.Apps.Select(a => a with { MonthlyBudgetUsd = null }).ToList() };
    }

    [Fact]
    public async Task Prod_FleetRoute_ReachesTheEndpointTheStackCreates()
    {
        var config = ProdWithoutBudgets();
        await using var router = await RouterHarness.StartAsync(config);

        var result = await router.ChatAsync(ShortPrompt, clientId: config.Apps.Single(a => a.Name == "search").ClientId.Resolved);

        result.Status.Should().Be(200, result.Body.ToString());
        result.Record.GetProperty("route").GetString().Should().Be("small");
        result.Record.GetProperty("backend").GetString().Should().Be("fleet");
        // prod's endpoint: the default name llm-cost-{stack}-fleet.
        router.Fleet.Received.Single().RawTarget.Should().Be("/endpoints/llm-cost-prod-fleet/invocations");
        JsonDocument.Parse(router.Fleet.Received.Single().Body).RootElement.GetProperty("max_tokens").GetInt32().Should().Be(1024);
        router.Bedrock.Received.Should().BeEmpty();
    }

    public static TheoryData<string, int, string, string> FleetFailures => new()
    {
        { "not found", 400, "ValidationError", "Endpoint llm-cost-prod-fleet of account 123456789012 not found." },
        { "throttled", 400, "ThrottlingException", "Rate exceeded" },
        { "5xx", 500, "InternalFailure", "An internal error occurred" },
        { "unavailable", 503, "ServiceUnavailable", "Service unavailable" },
    };

    [Theory]
    [MemberData(nameof(FleetFailures))]
    public async Task Prod_FleetFails_BedrockFallbackServes(string what, int status, string code, string message)
    {
        var config = ProdWithoutBudgets();
        await using var router = await RouterHarness.StartAsync(config);
        router.Fleet.Default = Replies.SageMakerError(status, code, message);

        var result = await router.ChatAsync(ShortPrompt, clientId: config.Apps.Single(a => a.Name == "search").ClientId.Resolved);

        result.Status.Should().Be(200, $"{what}: {result.Body}");
        result.Record.GetProperty("route").GetString().Should().Be("small-bedrock", what);
        result.Record.GetProperty("backend").GetString().Should().Be("bedrock");
        router.Fleet.Received.Should().NotBeEmpty().And.OnlyContain(r => r.RawTarget == "/endpoints/llm-cost-prod-fleet/invocations");
        // search has no app profiles: small-bedrock goes through the us cross-region profile (prod's stack file).
        router.Bedrock.Received.Single().RawTarget.Should().Contain("us.meta.llama3-1-8b-instruct-v1");
    }
}
