using System.Text.Json;
using System.Text.Json.Nodes;
using LlmCost.CostModel;
using LlmCost.Infra.Components;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Synthesis;

namespace LlmCost.Infra.Tests;

public sealed class StackSynthesisTests
{
    public static TheoryData<string> Stacks => new(Repo.Stacks);

    [Theory]
    [MemberData(nameof(Stacks))]
    public void PrintedProgram_EveryReferenceNamesADeclaredName(string stack)
    {
        // Read back from the printed text, independently of the builder's own check.
        var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);
        var declared = query.Resources.Select(r => r.Key).Concat(query.Root["variables"]!.AsObject().Select(v => v.Key))
            .Concat(query.Root["config"]?.AsObject().Select(c => c.Key) ?? []).ToHashSet();
        var references = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o: foreach (var p in o) { Walk(p.Value); } break;
                case JsonArray a: foreach (var i in a) { Walk(i); } break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    references.AddRange(Expr.ParseTemplate(v.GetValue<string>()).References().Select(r => r.Name));
                    break;
            }
        }

        Walk(query.Root);

        references.Should().NotBeEmpty();
        references.Where(r => r != "pulumi").Should().OnlyContain(r => declared.Contains(r));
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Provider_IsPinnedOnceAsDefault(string stack)
    {
        var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);

        var providers = query.OfType("pulumi:providers:aws").ToList();
        providers.Should().ContainSingle();
        providers[0].Resource["defaultProvider"]!.GetValue<bool>().Should().BeTrue();
        providers[0].Resource["options"]!["version"]!.GetValue<string>().Should().Be(AwsProvider.Version);
        query.Resources.Where(r => r.Value!["options"]?["version"] is not null).Should().ContainSingle("only the provider pins a version");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Gateway_EveryMethodRequiresAnAppTokenWithTheInvokeScope(string stack)
    {
        var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);

        var methods = query.OfType("aws:apigateway/method:Method").ToList();
        methods.Should().HaveCount(2);
        foreach (var (name, method) in methods)
        {
            var p = method["properties"]!;
            p["authorization"]!.GetValue<string>().Should().Be("COGNITO_USER_POOLS", name);
            p["authorizerId"]!.GetValue<string>().Should().Be("${gateway-authorizer.id}");
            p["authorizationScopes"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("llm-cost/invoke");
        }

        var clients = query.OfType("aws:cognito/userPoolClient:UserPoolClient").Select(c => c.Resource["properties"]!).ToList();
        clients.Should().HaveCount(Repo.Settings(stack).Apps.Count);
        clients.Should().OnlyContain(c => c["allowedOauthFlows"]!.ToJsonString() == """["client_credentials"]""" && c["generateSecret"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Gateway_ThrottlingSizeLimitsAndAccessLogsFollowSettings(string stack)
    {
        var settings = Repo.Settings(stack);
        var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);

        var throttling = query.Properties("gateway-throttling");
        throttling["methodPath"]!.GetValue<string>().Should().Be("*/*");
        throttling["settings"]!["throttlingRateLimit"]!.GetValue<decimal>().Should().Be(settings.Gateway.ThrottleRatePerSecond);
        throttling["settings"]!["throttlingBurstLimit"]!.GetValue<decimal>().Should().Be(settings.Gateway.ThrottleBurst);

        var schema = JsonNode.Parse(query.Properties("gateway-chat-request-model")["schema"]!.GetValue<string>())!;
        schema["properties"]!["messages"]!["maxItems"]!.GetValue<int>().Should().Be(settings.Gateway.MaxMessages);
        schema["properties"]!["messages"]!["items"]!["properties"]!["content"]!["maxLength"]!.GetValue<int>().Should().Be(settings.Gateway.MaxMessageChars);
        query.Properties("gateway-chat-post-method")["requestValidatorId"]!.GetValue<string>().Should().Be("${gateway-body-validator.id}");
        settings.Router.TimeoutSeconds.Should().BeLessThan(900, "the router must answer before the gateway gives up, cold start included");

        query.Properties("gateway-stage")["accessLogSettings"]!["destinationArn"]!.GetValue<string>().Should().Be("${gateway-access-logs.arn}");
        query.Properties("gateway-access-logs")["retentionInDays"]!.GetValue<int>().Should().Be(settings.Gateway.AccessLogRetentionDays);
        query.Count("aws:apigateway/account:Account").Should().Be(0, "the account stack owns the region's API Gateway log role");
        query.Resource("gateway-stage")!["options"]!["dependsOn"]!.AsArray().Select(d => d!.GetValue<string>()).Should().Contain("${account-stack}");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Gateway_BothIntegrationsStreamTheLambdaAnswerForUpToFifteenMinutes(string stack)
    {
        var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);

        foreach (var name in new[] { "gateway-chat-post-integration", "gateway-models-get-integration" })
        {
            var integration = query.Properties(name);
            integration["type"]!.GetValue<string>().Should().Be("AWS_PROXY", name);
            // STREAM: API Gateway invokes with InvokeWithResponseStream, whose integration URI is
            // arn:aws:apigateway:{region}:lambda:path/2021-11-15/functions/{functionArn}/response-streaming-invocations,
            // the function's responseStreamingInvokeArn.
            integration["responseTransferMode"]!.GetValue<string>().Should().Be("STREAM", name);
            integration["uri"]!.GetValue<string>().Should().Be("${router-function.responseStreamingInvokeArn}", name);
            // 15 minutes, the longest a STREAM integration may wait (BUFFERED: 29 s).
            integration["timeoutMilliseconds"]!.GetValue<int>().Should().Be(900_000, name);
        }

        // The function answers every invocation in the streamed format.
        query.Properties("router-function")["environment"]!["variables"]!["LLM_COST_RESPONSE_STREAMING"]!.GetValue<string>().Should().Be("1");
        query.Properties("gateway-invoke-permission")["action"]!.GetValue<string>().Should().Be("lambda:InvokeFunction", "InvokeWithResponseStream is authorized as lambda:InvokeFunction");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void RouterFunction_PropertiesFollowSettings(string stack)
    {
        var settings = Repo.Settings(stack);
        var function = ProgramQuery.Of(Repo.Synthesize(stack).Program).Properties("router-function");

        function["runtime"]!.GetValue<string>().Should().Be("provided.al2023");
        function["handler"]!.GetValue<string>().Should().Be("bootstrap");
        function["architectures"]!.ToJsonString().Should().Be("""["arm64"]""", "every stack file says architecture: arm64");
        function["memorySize"]!.GetValue<int>().Should().Be(settings.Router.MemoryMb);
        function["timeout"]!.GetValue<int>().Should().Be(settings.Router.TimeoutSeconds);
        function["reservedConcurrentExecutions"]!.GetValue<int>().Should().Be(stack switch { "dev" => 5, "staging" => 20, _ => 200 });
        function["code"]!["fn::fileArchive"]!.GetValue<string>().Should().Be("lambda/dist/router-arm64.zip");
        function["loggingConfig"]!["logGroup"]!.GetValue<string>().Should().Be("${router-logs.name}");
    }

    [Fact]
    public void RouterFunction_ArchitectureSetting_ChangesArchitectureAndBundle()
    {
        var settings = StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:router", """{"architecture":"x86_64"}""")));
        var program = Repo.Synthesize(settings).Program;

        var function = ProgramQuery.Of(program).Properties("router-function");

        function["architectures"]!.ToJsonString().Should().Be("""["x86_64"]""");
        function["code"]!["fn::fileArchive"]!.GetValue<string>().Should().Be("lambda/dist/router-x86_64.zip");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void RouterConfiguration_InEnvironment_IsTheValidatedDocumentWithPrices(string stack)
    {
        var synthesized = Repo.Synthesize(stack);
        var env = ProgramQuery.Of(synthesized.Program).Properties("router-function")["environment"]!["variables"]![RouterConfiguration.EnvironmentVariable];
        var document = ProgramQuery.Document(env);

        document["stack"]!.GetValue<string>().Should().Be(stack);
        document["logPrompts"]!.GetValue<bool>().Should().BeFalse();
        var routes = document["routes"]!.AsArray();
        routes.Select(r => r!["name"]!.GetValue<string>()).Should().Equal(synthesized.Settings.Routes.Select(r => r.Name));
        foreach (var route in routes)
        {
            var expected = synthesized.RouterConfiguration.Routes.Single(r => r.Name == route!["name"]!.GetValue<string>());
            route!["prices"]!["inputPer1M"]!.GetValue<decimal>().Should().Be(expected.Prices.InputPer1M);
            route["prices"]!["outputPer1M"]!.GetValue<decimal>().Should().Be(expected.Prices.OutputPer1M);
        }

        document["apps"]!.AsArray().Select(a => a!["clientId"]!.GetValue<string>())
            .Should().Equal(synthesized.Settings.Apps.Select(a => $"${{auth-client-{a.Name}.id}}"));
        RouterConfigurationValidator.Problems(synthesized.RouterConfiguration).Should().BeEmpty();
    }

    [Fact]
    public void RouterConfiguration_Prices_MatchHandComputedFigures()
    {
        var prod = Repo.Synthesize("prod").RouterConfiguration;

        // The fleet route: ml.inf2.xlarge at 0.99/h (snapshot) over 2000 tokens/s x 3600 s x 0.7 = 5,040,000 tokens -> 0.196429 per 1M.
        prod.Routes.Single(r => r.Name == "small").Prices.Should().Be(new TokenPrices(0.196429m, 0.196429m));
        // Sonnet 4.5 through the us profile: 3/15 global plus 10% for a geographic profile; cache read 0.1x, write 1.25x input.
        prod.Routes.Single(r => r.Name == "large").Prices.Should().Be(new TokenPrices(3.30m, 16.50m, 0.33m, 4.125m));
        prod.Routes.Single(r => r.Name == "large").InvokeId.Should().Be("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        prod.Routes.Single(r => r.Name == "small").InvokeId.Should().Be("llm-cost-prod-fleet");
    }

    [Fact]
    public void RouteWithUnpricedModel_StopsWithTheModelKey()
    {
        var routes = """[{"name":"small","model":"acme.unknown-model-v1:0","maxInputTokens":10,"maxOutputTokens":10}]""";
        var settings = StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:routes", routes), ("llm-cost:autoRouting", null), ("llm-cost:demand", null)));

        var act = () => Repo.Synthesize(settings);

        act.Should().Throw<ConfigError>().WithMessage("stacks/Pulumi.dev.yaml: llm-cost:routes[0].model: no price known for Bedrock model \"acme.unknown-model-v1:0\" in us-east-1*");
    }

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
    public void Outputs_CarryEndpointTokenUrlAndPriceSource(string stack)
    {
        var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);

        query.Output("apiEndpoint")!.GetValue<string>().Should().Be("${gateway-stage.invokeUrl}/v1");
        query.Output("tokenUrl")!.GetValue<string>().Should().Be($"https://example-llm-cost-{stack}.auth.us-east-1.amazoncognito.com/oauth2/token");
        query.Output("pricingSource")!.GetValue<string>().Should().Be("snapshot");
        query.Output("routerPriceTable")!.AsObject().Select(r => r.Key).Should().Equal(Repo.Settings(stack).Routes.Select(r => r.Name));
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Program_HoldsNoClientSecrets(string stack)
    {
        var program = ProgramQuery.Of(Repo.Synthesize(stack).Program).Root;
        // The only secrets are config keys the program declares as secret (prod's Hugging Face token): names, never values.
        program["config"]?.AsObject().Should().OnlyContain(c => c.Value!["secret"]!.GetValue<bool>());
        program.Remove("config");
        var text = program.ToJsonString();

        text.Should().NotContain("clientSecret\":").And.NotContain("secret\":");
        ProgramQuery.Of(Repo.Synthesize(stack).Program).OfType("aws:cognito/userPoolClient:UserPoolClient")
            .Should().OnlyContain(c => c.Resource["options"]!["additionalSecretOutputs"]!.ToJsonString() == """["clientSecret"]""");
    }
}
