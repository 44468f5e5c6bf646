using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Router.Configuration;

namespace LlmCost.Router.Tests;

/// <summary>
/// The prod stack's router configuration as the program synthesizes it from stacks/Pulumi.prod.yaml (offline, on the
/// embedded price snapshot), with its deploy-time values (app client IDs, application inference profile ARNs) set to
/// fixed test values, as Pulumi would set the real ones. Not a hand-kept copy: when the stack file changes, so
/// does what the router tests run against.
/// </summary>
internal static class TestConfig
{
    public const string SupportClient = "client-support-bot";
    public const string SearchClient = "client-search";
    public const string SupportLargeProfile = ProfileArnPrefix + "support-bot-large";

    private const string ProfileArnPrefix = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/";

    private static readonly Lazy<RouterConfiguration> Synthesized = new(() => Deployed(SynthesizedStacks.Synthesize("prod").RouterConfiguration));

    /// <summary>
    /// prod's configuration; a parameter that is given replaces the stack's value (a test about that setting), one
    /// left out keeps it. Without a budget table: prod's apps have monthly budgets, which the router would reserve
    /// against DynamoDB; BudgetTests and the synthesized-document tests bring a local store and their own budgets.
    /// </summary>
    public static RouterConfiguration Prod(bool? logPrompts = null, bool? allowExplicit = null, int? maxMessages = null, int? maxMessageChars = null)
    {
        var config = Synthesized.Value;
        return config with
        {
            LogPrompts = logPrompts ?? config.LogPrompts,
            Limits = new RequestLimits(maxMessages ?? config.Limits.MaxMessages, maxMessageChars ?? config.Limits.MaxMessageChars),
            Auto = config.Auto with { AllowExplicitModels = allowExplicit ?? config.Auto.AllowExplicitModels },
        };
    }

    /// <summary>
    /// The synthesized document as if deployed: each app's client ID is <c>client-{app}</c>, each of its application
    /// inference profiles <c>{ProfileArnPrefix}{app}-{route}</c> (the constants above follow this); budgets are removed.
    /// Read back by the router's own loader, so what the tests run is a document the deployed function would accept
    /// (a deploy-time value with no stand-in here, such as an ECS fleet's URL, fails here and says which).
    /// </summary>
    private static RouterConfiguration Deployed(RouterConfiguration synthesized)
    {
        var resolved = synthesized with
        {
            Budgets = null,
            Apps = synthesized.Apps.Select(app => app with
            {
                ClientId = app.ClientId.IsResolved ? app.ClientId : DeployValue.Of($"client-{app.Name}"),
                Profiles = app.Profiles.Select(p => p.Arn.IsResolved ? p : p with { Arn = DeployValue.Of($"{ProfileArnPrefix}{app.Name}-{p.Route}") }).ToList(),
                MonthlyBudgetUsd = null,
            }).ToList(),
        };

        return RouterConfigurationLoader.Parse(JsonSerializer.Serialize(resolved, CostModelJsonContext.Default.RouterConfiguration));
    }
}
