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
        var settings = Repo.Settings(stack);
        var granted = RouterStatements(stack).Single(s => s["Sid"]!.GetValue<string>() == "InvokeConfiguredModels")["Resource"];

        var expected = settings.Routes.Where(r => r.IsBedrock).Select(r => r.CrossRegion is null
                ? $"arn:aws:bedrock:{settings.Region}::foundation-model/{r.Model}"
                : $"arn:aws:bedrock:{settings.Region}:${{accountId}}:inference-profile/{r.InvokeModelId}")
            .Concat(settings.Apps.Where(a => a.InferenceProfiles)
                .SelectMany(a => settings.Routes.Where(r => r.IsBedrock).Select(r => $"${{bedrock-profile-{a.Name}-{r.Name}.arn}}")));

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
}
