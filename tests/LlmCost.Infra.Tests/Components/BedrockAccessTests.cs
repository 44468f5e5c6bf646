using System.Text.Json.Nodes;

namespace LlmCost.Infra.Tests.Components;

/// <summary>Bedrock for a stack: the application inference profiles and the router's grants on exactly the configured models, on printed programs.</summary>
public sealed class BedrockAccessTests
{
    public static TheoryData<string> Stacks => new(Repo.Stacks);

    private static List<JsonObject> RouterStatements(string stack) =>
        ProgramQuery.Document(ProgramQuery.Of(Repo.Synthesize(stack).Program).Properties("router-policy")["policy"])["Statement"]!
            .AsArray().Select(s => s!.AsObject()).ToList();

    private static IEnumerable<string> Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>());

    [Fact]
    public void Bedrock_AppProfiles_OnlyForAppsThatAskAndOnlyForBedrockRoutes()
    {
        var query = ProgramQuery.Of(Repo.Synthesize("prod").Program);

        var profiles = query.OfType("aws:bedrock/inferenceProfile:InferenceProfile").Select(p => p.Name).ToList();

        profiles.Should().BeEquivalentTo("bedrock-profile-support-bot-small-bedrock", "bedrock-profile-support-bot-medium", "bedrock-profile-support-bot-large");
        query.Properties("bedrock-profile-support-bot-large")["modelSource"]!["copyFrom"]!.GetValue<string>()
            .Should().Be("arn:aws:bedrock:us-east-1:${accountId}:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        query.Properties("bedrock-profile-support-bot-medium")["modelSource"]!["copyFrom"]!.GetValue<string>()
            .Should().Be("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void RouterRole_BedrockResourcesAreTheConfiguredModelsAndNothingElse(string stack)
    {
        var granted = RouterStatements(stack).Single(s => s["Sid"]!.GetValue<string>() == "InvokeConfiguredModels")["Resource"];

        // The stack files' Bedrock routes: in-region models by their foundation-model ARN, crossRegion: us ones by the
        // us system profile; then the app profiles (only support-bot asks, in staging and prod) on each Bedrock route.
        const string Model = "arn:aws:bedrock:us-east-1::foundation-model/";
        const string Profile = "arn:aws:bedrock:us-east-1:${accountId}:inference-profile/us.";
        string[] expected = stack switch
        {
            "dev" => [Model + "amazon.nova-micro-v1:0", Model + "amazon.nova-lite-v1:0"],
            "staging" =>
            [
                Model + "amazon.nova-micro-v1:0", Model + "amazon.nova-lite-v1:0", Profile + "anthropic.claude-haiku-4-5-20251001-v1:0",
                "${bedrock-profile-support-bot-small.arn}", "${bedrock-profile-support-bot-medium.arn}", "${bedrock-profile-support-bot-large.arn}",
            ],
            _ =>
            [
                Profile + "meta.llama3-1-8b-instruct-v1:0", Model + "amazon.nova-lite-v1:0", Profile + "anthropic.claude-sonnet-4-5-20250929-v1:0",
                "${bedrock-profile-support-bot-small-bedrock.arn}", "${bedrock-profile-support-bot-medium.arn}", "${bedrock-profile-support-bot-large.arn}",
            ],
        };

        Strings(granted).Should().BeEquivalentTo(expected);
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void RouterRole_EveryBedrockGrantAllowsConverseAndConverseStreamOnly(string stack)
    {
        // Converse is authorized as bedrock:InvokeModel, ConverseStream (stream: true) as bedrock:InvokeModelWithResponseStream.
        var bedrock = RouterStatements(stack).Where(s => Strings(s["Action"]).Any(a => a.StartsWith("bedrock:", StringComparison.Ordinal))).ToList();

        bedrock.Should().NotBeEmpty();
        bedrock.Should().OnlyContain(s => Strings(s["Action"]).SequenceEqual(new[] { "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream" }));
    }

    [Theory]
    // One profile per (app with inferenceProfiles, Bedrock route), from the stack files: dev's playground asks for none;
    // staging's support-bot x {small, medium, large} = 3; prod's support-bot x {small-bedrock, medium, large} = 3
    // (prod's small is the fleet's, not Bedrock's).
    [InlineData("dev", new string[0])]
    [InlineData("staging", new[] { "small", "medium", "large" })]
    [InlineData("prod", new[] { "small-bedrock", "medium", "large" })]
    public void Bedrock_AppProfiles_OnePerProfiledAppAndBedrockRoute(string stack, string[] routes)
    {
        var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);

        var profiles = query.OfType("aws:bedrock/inferenceProfile:InferenceProfile").ToList();

        profiles.Should().HaveCount(routes.Length);
        profiles.Select(p => p.Name).Should().BeEquivalentTo(routes.Select(r => $"bedrock-profile-support-bot-{r}"));
        foreach (var route in routes)
        {
            var profile = query.Resource($"bedrock-profile-support-bot-{route}")!;
            profile["properties"]!["tags"]!.ToJsonString().Should().Be($$"""{"llm-cost:app":"support-bot","llm-cost:route":"{{route}}"}""");
            profile["options"]!["deleteBeforeReplace"]!.GetValue<bool>().Should().BeTrue(route);
        }
    }
}
