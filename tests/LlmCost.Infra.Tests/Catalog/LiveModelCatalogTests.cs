using System.Text.Json.Nodes;
using LlmCost.Aws;
using LlmCost.Infra.Catalog;
using LlmCost.Infra.Catalog.Live;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Pricing.Live;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Tests.Pricing;

namespace LlmCost.Infra.Tests.Catalog;

/// <summary>The live Bedrock catalog against a local server speaking the control plane's documented REST-JSON answers.</summary>
public sealed class LiveModelCatalogTests : IAsyncLifetime
{
    private FakeAwsPricingServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeAwsPricingServer.StartAsync();
        _server.FoundationModels =
        [
            Model("amazon.nova-micro-v1:0", ["ON_DEMAND", "INFERENCE_PROFILE"], """{"status":"ACTIVE"}"""),
            Model("meta.llama3-1-8b-instruct-v1:0", ["INFERENCE_PROFILE"], """{"status":"ACTIVE"}"""),
            Model("anthropic.claude-opus-4-1-20250805-v1:0", ["INFERENCE_PROFILE"],
                """{"status":"LEGACY","legacyTime":"2026-07-08T00:00:00Z","publicExtendedAccessTime":"2026-10-08T00:00:00Z","endOfLifeTime":"2027-01-08T00:00:00Z"}"""),
        ];
        _server.InferenceProfilePages.Add([Profile("us.meta.llama3-1-8b-instruct-v1:0", "meta.llama3-1-8b-instruct-v1:0", "us-east-1", "us-east-2", "us-west-2")]);
        _server.InferenceProfilePages.Add(
        [
            Profile("us.amazon.nova-micro-v1:0", "amazon.nova-micro-v1:0", "us-east-1", "us-west-2"),
            Profile("us.anthropic.claude-opus-4-1-20250805-v1:0", "anthropic.claude-opus-4-1-20250805-v1:0", "us-east-1", "us-east-2"),
        ]);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    internal static JsonObject Model(string id, string[] types, string lifecycle) => new()
    {
        ["modelArn"] = $"arn:aws:bedrock:us-east-1::foundation-model/{id}",
        ["modelId"] = id,
        ["modelName"] = "a model name longer than twenty characters",
        ["providerName"] = "Provider",
        ["inputModalities"] = new JsonArray("TEXT", "VIDEO"),
        ["outputModalities"] = new JsonArray("TEXT"),
        ["responseStreamingSupported"] = true,
        ["inferenceTypesSupported"] = new JsonArray(types.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
        ["modelLifecycle"] = JsonNode.Parse(lifecycle),
    };

    private static JsonObject Profile(string id, string model, params string[] regions) => new()
    {
        ["inferenceProfileName"] = "US " + model,
        ["description"] = "Routes requests to the model in several regions",
        ["createdAt"] = "2024-11-01T00:00:00+00:00",
        ["updatedAt"] = "2024-11-04T18:05:38.433816+00:00",
        ["inferenceProfileArn"] = $"arn:aws:bedrock:us-east-1:111122223333:inference-profile/{id}",
        ["models"] = new JsonArray(regions.Select(r => (JsonNode)new JsonObject { ["modelArn"] = $"arn:aws:bedrock:{r}::foundation-model/{model}" }).ToArray()),
        ["inferenceProfileId"] = id,
        ["status"] = "ACTIVE",
        ["type"] = "SYSTEM_DEFINED",
    };

    private BedrockCatalogApi Api()
    {
        string? Env(string name) => name == "AWS_ENDPOINT_URL" ? _server.Endpoint.ToString() : null;
        var client = new AwsJsonClient(new HttpClient(), _ => Task.FromResult(new AwsCredentials("AKIDTEST", "secret-test-key")), TimeProvider.System,
            new RetryPolicy(2, new LlmCost.Aws.Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), () => 0.5), TimeSpan.FromSeconds(5)));
        return new BedrockCatalogApi(client, Env, TimeProvider.System);
    }

    [Fact]
    public async Task Fetch_ReadsEveryProfilePage_AndEachModelsOfferAndLifecycle()
    {
        var catalog = await Api().FetchAsync("us-east-1", CancellationToken.None);

        catalog.Origin.Should().Be(LlmCost.CostModel.Vocabulary.PriceOriginKind.Live);
        catalog.Find("amazon.nova-micro-v1:0")!.In("us-east-1").Should().BeEquivalentTo(new CatalogOffer("us-east-1", true, ["us"]));
        catalog.Find("meta.llama3-1-8b-instruct-v1:0")!.In("us-east-1").Should().BeEquivalentTo(new CatalogOffer("us-east-1", false, ["us"]));
        var opus = catalog.Find("anthropic.claude-opus-4-1-20250805-v1:0")!;
        opus.Lifecycle.Should().Be("LEGACY");
        opus.LegacyDate.Should().Be("2026-07-08");
        opus.EndOfLifeDate.Should().Be("2027-01-08");

        var paths = _server.Requests.Select(r => r.Path).ToList();
        paths.Should().Contain("/inference-profiles?maxResults=1000&type=SYSTEM_DEFINED")
            .And.Contain("/inference-profiles?maxResults=1000&type=SYSTEM_DEFINED&nextToken=1")
            .And.Contain("/foundation-models");
        _server.Requests.Should().OnlyContain(r => r.Authorization!.Contains("/us-east-1/bedrock/aws4_request", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LiveCatalog_ModelMissingFromTheRegion_StopsNamingTheKey()
    {
        var catalog = await Api().FetchAsync("us-east-1", CancellationToken.None);
        var settings = StackSettingsReader.Read(Repo.ConfigWith("dev"));

        // dev's medium route (nova-lite) is not in this region's live answer.
        var act = () => ModelAvailabilityCheck.Check(settings, catalog, new DateOnly(2026, 11, 28));

        act.Should().Throw<ConfigError>().Which.Message.Should().Contain("llm-cost:routes[1].model").And.Contain("ListFoundationModels does not list it");
    }

    [Fact]
    public async Task Fetch_AnswerWithoutModelSummaries_IsRefusedByName()
    {
        _server.FoundationModels = null;
        _server.Script(new FakeAwsPricingServer.Reply(200, """{"inferenceProfileSummaries":[]}"""), new FakeAwsPricingServer.Reply(200, """{"models":[]}"""));

        var act = () => Api().FetchAsync("us-east-1", CancellationToken.None);

        (await act.Should().ThrowAsync<PricingException>()).Which.Message.Should().Be("Bedrock ListFoundationModels: malformed answer (no modelSummaries array)");
    }

    [Fact]
    public async Task Fetch_AccessDenied_IsNotRetriedAndNamesTheOperation()
    {
        _server.Script(new FakeAwsPricingServer.Reply(403, """{"message":"User is not authorized to perform: bedrock:ListInferenceProfiles"}""", ErrorType: "AccessDeniedException"));

        var act = () => Api().FetchAsync("us-east-1", CancellationToken.None);

        (await act.Should().ThrowAsync<PricingException>()).Which.Message.Should().StartWith("Bedrock ListInferenceProfiles: HTTP 403 AccessDeniedException");
        _server.Requests.Should().ContainSingle();
    }
}
