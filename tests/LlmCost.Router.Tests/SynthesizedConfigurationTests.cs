using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmCost.CostModel;
using LlmCost.Infra.Synthesis;
using LlmCost.Router.Configuration;
using LlmCost.Router.Tests.Servers;

namespace LlmCost.Router.Tests;

/// <summary>
/// The function runs with exactly the document the program synthesizes: each real stack is synthesized, the
/// router's environment variable is taken from the printed program, its deploy-time references resolved as Pulumi
/// would (fake IDs and ARNs), and the result loaded and served by the real handler.
/// </summary>
public sealed partial class SynthesizedConfigurationTests
{
    public static TheoryData<string> Stacks => new("dev", "staging", "prod");

    /// <summary>What Pulumi hands the function: the printed fn::toJSON object, references resolved, as JSON text.</summary>
    private static string DeployedDocument(string stack)
    {
        var synthesized = SynthesizedStacks.Synthesize(stack);
        var program = JsonNode.Parse(ProgramWriter.Write(synthesized.Program))!;
        var document = program["resources"]!["router-function"]!["properties"]!["environment"]!["variables"]![RouterConfiguration.EnvironmentVariable]!["fn::toJSON"]!;
        return Reference().Replace(document.ToJsonString(), m => m.Groups["prop"].Value == "id"
            ? $"client-{m.Groups["name"].Value.Replace("auth-client-", "", StringComparison.Ordinal)}"
            : $"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/{m.Groups["name"].Value}");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void FromEnvironment_SynthesizedDocument_LoadsAndValidates(string stack)
    {
        var json = DeployedDocument(stack);

        var config = RouterConfigurationLoader.FromEnvironment(name => name == RouterConfiguration.EnvironmentVariable ? json : null);

        config.Stack.Should().Be(stack);
        config.Apps.Should().OnlyContain(a => a.ClientId.Text == "client-" + a.Name);
        RouterConfigurationValidator.Problems(config).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public async Task Chat_SynthesizedDocument_ServedEndToEndForEveryApp(string stack)
    {
        var config = RouterConfigurationLoader.Parse(DeployedDocument(stack));
        // Stacks with budgeted apps get the budget table the program declares, here a real DynamoDB-compatible server.
        await using var store = config.Budgets is { } budgets ? await DynaliteServer.StartAsync(budgets.TableName) : null;
        await using var router = await RouterHarness.StartAsync(config, extraEnvironment: store is null
            ? null
            : new Dictionary<string, string> { ["AWS_ENDPOINT_URL_DYNAMODB"] = store.Endpoint.ToString() });

        foreach (var app in config.Apps)
        {
            var result = await router.ChatAsync("""{"model":"auto","messages":[{"role":"user","content":"hello"}]}""", clientId: app.ClientId.Resolved);

            result.Status.Should().Be(200, $"{stack}/{app.Name}: {result.Body}");
            result.Record.GetProperty("app").GetString().Should().Be(app.Name);
            result.Record.GetProperty("stack").GetString().Should().Be(stack);
            result.Record.GetProperty("priceAsOf").GetString().Should().Be(config.Prices.AsOf);
            // A budgeted app's request was reserved against the table the program names; others are not checked.
            result.Record.GetProperty("budgetCheck").GetString().Should().Be(app.MonthlyBudgetUsd is null ? "none" : "reserved");
        }
    }

    [Fact]
    public void Parse_UnresolvedReferences_RefusedUnlessLocal()
    {
        var synthesized = SynthesizedStacks.Synthesize("dev");
        var printed = JsonSerializer.Serialize(synthesized.RouterConfiguration, CostModelJsonContext.Default.RouterConfiguration);

        var act = () => RouterConfigurationLoader.Parse(printed);

        act.Should().Throw<RouterConfigurationException>()
            .WithMessage("LLM_COST_ROUTER_CONFIG: not a deployed document: apps[0].clientId (${auth-client-*.id}) still a deploy-time reference.");
        RouterConfigurationLoader.Parse(printed, local: true).Apps.Should().OnlyContain(a => a.ClientId.Text == a.Name);
    }

    [Theory]
    [InlineData("", "LLM_COST_ROUTER_CONFIG is not set: the router cannot run without the configuration document the stack synthesizes.")]
    [InlineData("{", "LLM_COST_ROUTER_CONFIG: not a valid configuration document: *")]
    [InlineData("""{"schemaVersion":2,"stack":"x","region":"r","logPrompts":false,"limits":{"maxMessages":1,"maxMessageChars":1},"routes":[],"auto":{"tiers":[],"allowExplicitModels":true},"apps":[],"prices":{"source":"snapshot","asOf":"d"}}""",
        "LLM_COST_ROUTER_CONFIG: routes: at least one route is required; auto.tiers: the last tier must have maxScore 1")]
    [InlineData("""{"schemaVersion":2}""", "LLM_COST_ROUTER_CONFIG: the document lacks routes, auto, apps, limits or prices.")]
    // Version 1 (before closed values, fleet transports and deploy-time placeholders): refused by its version, whatever else it holds.
    [InlineData("""{"schemaVersion":1,"stack":"prod","region":"us-east-1","logPrompts":false,"limits":{"maxMessages":64,"maxMessageChars":100000},"routes":[{"name":"small","backend":"fleet","modelId":"m","invokeId":"llm-cost-prod-fleet","maxInputTokens":8000,"maxOutputTokens":1024,"trimInput":false,"prices":{"inputPer1M":1,"outputPer1M":1}}],"auto":{"tiers":[{"route":"small","maxScore":1}],"allowExplicitModels":true},"apps":[{"name":"a","clientId":"c","profiles":[]}],"prices":{"source":"snapshot","asOf":"2026-09-10"}}""",
        "LLM_COST_ROUTER_CONFIG: schemaVersion: expected 2, got 1 (program and router are from different releases: deploy the stack again)")]
    [InlineData("""{"schemaVersion":"2"}""", "LLM_COST_ROUTER_CONFIG: schemaVersion: expected 2, got \"2\" (program and router are from different releases: deploy the stack again)")]
    [InlineData("""{"schemaVersion":2,"stack":"prod","region":"us-east-1","logPrompts":false,"limits":{"maxMessages":64,"maxMessageChars":100000},"routes":[{"name":"small","backend":"ollama","modelId":"m","invokeId":"m","maxInputTokens":8000,"maxOutputTokens":1024,"trimInput":false,"prices":{"inputPer1M":1,"outputPer1M":1}}],"auto":{"tiers":[{"route":"small","maxScore":1}],"allowExplicitModels":true},"apps":[],"prices":{"source":"snapshot","asOf":"2026-09-10"}}""",
        "LLM_COST_ROUTER_CONFIG: not a valid configuration document: $.routes[0].backend: expected bedrock or fleet, got \"ollama\"")]
    [InlineData("""{"schemaVersion":2,"stack":"prod","region":"us-east-1","logPrompts":false,"limits":{"maxMessages":64,"maxMessageChars":100000},"routes":[{"name":"small","backend":"fleet","modelId":"m","invokeId":"llm-cost-prod-fleet","maxInputTokens":8000,"maxOutputTokens":1024,"trimInput":false,"prices":{"inputPer1M":1,"outputPer1M":1}}],"auto":{"tiers":[{"route":"small","maxScore":1}],"allowExplicitModels":true},"apps":[],"prices":{"source":"snapshot","asOf":"2026-09-10"}}""",
        "LLM_COST_ROUTER_CONFIG: routes[0].transport: a fleet route must say how the fleet is reached (sagemaker-endpoint or openai-http)")]
    [InlineData("""{"schemaVersion":2,"stack":"prod","region":"us-east-1","logPrompts":false,"limits":{"maxMessages":64,"maxMessageChars":100000},"routes":[{"name":"small","backend":"fleet","modelId":"m","invokeId":"m","maxInputTokens":8000,"maxOutputTokens":1024,"trimInput":false,"prices":{"inputPer1M":1,"outputPer1M":1},"transport":{"kind":"openai-http","url":"ftp://fleet.internal"}}],"auto":{"tiers":[{"route":"small","maxScore":1}],"allowExplicitModels":true},"apps":[],"prices":{"source":"snapshot","asOf":"2026-09-10"}}""",
        "LLM_COST_ROUTER_CONFIG: routes[0].transport.url: not an absolute http(s) URL")]
    [InlineData("""{"schemaVersion":2,"stack":"prod","region":"us-east-1","logPrompts":false,"limits":{"maxMessages":64,"maxMessageChars":100000},"routes":[{"name":"small","backend":"fleet","modelId":"m","invokeId":"m","maxInputTokens":8000,"maxOutputTokens":1024,"trimInput":false,"prices":{"inputPer1M":1,"outputPer1M":1},"transport":{"kind":"openai-http","url":{"deployReference":{"resource":"fleet-alb","property":"dnsName","prefix":"http://"}}}}],"auto":{"tiers":[{"route":"small","maxScore":1}],"allowExplicitModels":true},"apps":[],"prices":{"source":"snapshot","asOf":"2026-09-10"}}""",
        "LLM_COST_ROUTER_CONFIG: not a deployed document: routes[0].transport.url (http://${fleet-alb.dnsName}) still a deploy-time reference.")]
    public void FromEnvironment_BadDocument_ClearError(string json, string message)
    {
        var act = () => RouterConfigurationLoader.FromEnvironment(_ => json);

        act.Should().Throw<RouterConfigurationException>().WithMessage(message);
    }

    [GeneratedRegex("\\$\\{(?<name>[a-z0-9-]+)\\.(?<prop>id|arn)\\}")]
    private static partial Regex Reference();
}
