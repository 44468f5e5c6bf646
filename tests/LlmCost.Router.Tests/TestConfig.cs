using LlmCost.CostModel;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Router.Tests;

/// <summary>A configuration shaped like the synthesized prod stack (fleet with Bedrock fallback, three Bedrock tiers, two apps).</summary>
internal static class TestConfig
{
    public const string SupportClient = "client-support-bot";
    public const string SearchClient = "client-search";
    public const string SupportLargeProfile = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123";

    public static RouterConfiguration Prod(bool logPrompts = false, bool allowExplicit = true, int maxMessages = 128, int maxMessageChars = 200_000) => new(
        SchemaVersion: RouterConfiguration.CurrentSchemaVersion,
        Stack: "prod",
        Region: "us-east-1",
        LogPrompts: logPrompts,
        Limits: new RequestLimits(maxMessages, maxMessageChars),
        Routes:
        [
            new RouteConfiguration("small", Backend.Fleet, "llama-3.1-8b-instruct", "llm-cost-prod-fleet", 8000, 1024, false, "small-bedrock", new TokenPrices(0.982143m, 0.982143m), new FleetTransport(FleetTransportKind.SageMakerEndpoint)),
            new RouteConfiguration("small-bedrock", Backend.Bedrock, "meta.llama3-1-8b-instruct-v1:0", "meta.llama3-1-8b-instruct-v1:0", 8000, 1024, false, null, new TokenPrices(0.22m, 0.22m)),
            new RouteConfiguration("medium", Backend.Bedrock, "amazon.nova-lite-v1:0", "amazon.nova-lite-v1:0", 64000, 2048, false, "small-bedrock", new TokenPrices(0.06m, 0.24m, 0.015m, 0m)),
            new RouteConfiguration("large", Backend.Bedrock, "anthropic.claude-3-7-sonnet-20250219-v1:0", "us.anthropic.claude-3-7-sonnet-20250219-v1:0", 100000, 4096, true, "medium", new TokenPrices(3.0m, 15.0m, 0.3m, 3.75m)),
        ],
        Auto: new AutoRouting([new("small", 0.4m), new("medium", 0.75m), new("large", 1m)], allowExplicit),
        Apps:
        [
            new AppConfiguration("support-bot", SupportClient, [new AppInferenceProfile("large", SupportLargeProfile)]),
            new AppConfiguration("search", SearchClient, []),
        ],
        Prices: new PriceProvenance(PriceOriginKind.Snapshot, "2026-09-10"));
}
