using System.Text.Json;
using System.Text.Json.Nodes;
using LlmCost.Infra.Account;
using LlmCost.Infra.Catalog;
using LlmCost.Infra.Cli;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Synthesis;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Tests;

/// <summary>
/// What AWS checks at <c>pulumi up</c> and the typings cannot see, tested on the programs the compiler prints:
/// name and description patterns, gateway response bodies, account-level singletons, the old-CLI guard.
/// </summary>
public sealed class DeployabilityTests
{
    public static TheoryData<string> Stacks => new(Repo.Stacks);

    public static TheoryData<string> AllStacks => new([.. Repo.Stacks, "account-nonprod", "account-prod"]);

    private static ProgramQuery Printed(string stack)
    {
        var config = StackFileReader.Read(Repo.Root, stack);
        return StackKinds.Of(config) == StackKind.Account
            ? ProgramQuery.Of(AccountStack.Synthesize(AccountSettingsReader.Read(config)))
            : ProgramQuery.Of(Repo.Synthesize(stack).Program);
    }

    [Theory]
    [MemberData(nameof(AllStacks))]
    public void EveryPrintedNameAndDescription_MatchesItsAwsApiPattern(string stack)
    {
        var checkedCount = 0;
        foreach (var (name, resource) in Printed(stack).Resources.Select(r => (r.Key, r.Value!.AsObject())))
        {
            var type = resource["type"]!.GetValue<string>();
            foreach (var (property, value) in resource["properties"]?.AsObject() ?? [])
            {
                // A name holding the deploy-time account ID is checked with a 12-digit stand-in; other references are unknown here.
                var text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String
                    ? v.GetValue<string>().Replace("${accountId}", AwsNames.AccountIdStandIn, StringComparison.Ordinal) : null;
                if (AwsNames.For(type, property) is { } rule && text is not null && !text.Contains("${", StringComparison.Ordinal))
                {
                    rule.Problem(text).Should().BeNull($"{stack}: {name}.{property}");
                    checkedCount++;
                }
            }

            if (AwsNames.ForAutoName(type) is { } autoRule && resource["properties"]?["name"] is null)
            {
                (name.Length + AwsNames.PulumiAutoNameSuffix).Should().BeLessThanOrEqualTo(autoRule.MaxLength, $"{stack}: {name} is auto-named by Pulumi");
            }
        }

        checkedCount.Should().BeGreaterThan(0);
    }

    [Fact]
    public void InferenceProfileDescription_RefusesTheCommaThatWouldHaveFailedUp()
    {
        // The description the program printed before: the API's pattern has no comma (and no "x: y" double separator).
        AwsNames.InferenceProfileDescription.Accepts("llm-cost staging: app support-bot, route small").Should().BeFalse();
        AwsNames.InferenceProfileDescription.Accepts("llm-cost staging app support-bot route small").Should().BeTrue();
        AwsNames.InferenceProfileName.Accepts("llm-cost--dev").Should().BeFalse("two separators in a row");
        AwsNames.InferenceProfileName.Accepts(new string('a', 64)).Should().BeTrue();
        AwsNames.InferenceProfileName.Accepts(new string('a', 65)).Should().BeFalse();
    }

    [Fact]
    public void FleetNames_FollowTheirApisRules_OnTheLimits()
    {
        // SageMaker names: letters, digits and hyphens, at most 63, no leading or trailing hyphen.
        AwsNames.SageMakerEndpointName.Accepts(new string('a', 63)).Should().BeTrue();
        AwsNames.SageMakerEndpointName.Accepts(new string('a', 64)).Should().BeFalse();
        AwsNames.SageMakerModelName.Accepts("fleet-model-1a2b3c4").Should().BeTrue();
        AwsNames.SageMakerModelName.Accepts("fleet_model").Should().BeFalse();
        AwsNames.SageMakerEndpointConfigName.Accepts("-fleet").Should().BeFalse();
        // Application Auto Scaling: printable ASCII up to 256; scheduled actions also refuse ':', '/', '|' and edge spaces.
        AwsNames.ScalingPolicyName.Accepts(new string('p', 256)).Should().BeTrue();
        AwsNames.ScalingPolicyName.Accepts(new string('p', 257)).Should().BeFalse();
        AwsNames.ScalingPolicyName.Accepts("caf\u00e9").Should().BeFalse();
        AwsNames.ScheduledActionName.Accepts("llm-cost-prod-fleet-weekday-open").Should().BeTrue();
        AwsNames.ScheduledActionName.Accepts("open:8").Should().BeFalse();
        AwsNames.ScheduledActionName.Accepts("open/8").Should().BeFalse();
        AwsNames.ScheduledActionName.Accepts(" open").Should().BeFalse();
        AwsNames.ScheduledActionName.Accepts("open ").Should().BeFalse();
    }

    [Fact]
    public void InferenceProfileName_LongPartsAreShortenedWithAHashWithinTheLimit()
    {
        var app = "a" + new string('b', 31);
        var name = AwsNames.InferenceProfileName.Join("-", "llm-cost-staging", app, "route-" + new string('c', 26));
        var other = AwsNames.InferenceProfileName.Join("-", "llm-cost-staging", app, "route-" + new string('c', 25) + "d");

        name.Length.Should().Be(64);
        name.Should().StartWith("llm-cost-staging-abbbb").And.NotBe(other);
        AwsNames.InferenceProfileName.Accepts(name).Should().BeTrue();
    }

    [Theory]
    [InlineData("a--b")]
    [InlineData("ab-")]
    [InlineData("a")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    public void AppAndRouteNames_RefuseWhatAwsNamesCannotCarry(string name)
    {
        var act = () => StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:apps", $$"""[{"name":"{{name}}"}]""")));

        act.Should().Throw<ConfigError>().Which.Key.Should().Be("llm-cost:apps[0].name");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void GatewayResponses_AreValidJsonWhateverApiGatewaySubstitutes(string stack)
    {
        var query = Printed(stack);
        var responses = query.OfType("aws:apigateway/response:Response").ToList();
        responses.Should().HaveCount(6);
        foreach (var (name, resource) in responses)
        {
            var template = resource["properties"]!["responseTemplates"]!["application/json"]!.GetValue<string>();

            // As API Gateway documents it: messageString arrives quoted and escaped, validationErrorString raw.
            var body = template
                .Replace("$context.error.messageString", "\"Invalid request body \\\"x\\\"\"", StringComparison.Ordinal)
                .Replace("$context.error.validationErrorString", "[instance type (string) does not match any allowed primitive type (allowed: [\"array\"])]", StringComparison.Ordinal);

            var parse = () => JsonNode.Parse(body)!["error"]!["message"]!.GetValue<string>();
            parse.Should().NotThrow($"{stack}: {name} renders {body}");
        }
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void EnvironmentStacks_OwnNoAccountSingletons_AndDependOnTheirAccountStack(string stack)
    {
        var query = Printed(stack);

        query.Count("aws:apigateway/account:Account").Should().Be(0);
        query.Count("aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration").Should().Be(0);
        var reference = query.OfType("pulumi:pulumi:StackReference").Should().ContainSingle().Subject;
        var expected = stack == "prod" ? "account-prod" : "account-nonprod";
        reference.Resource["properties"]!["name"]!.GetValue<string>().Should().Be($"${{pulumi.organization}}/${{pulumi.project}}/{expected}");
    }

    [Fact]
    public void AccountStack_ApiGatewayRole_TrustsTheServiceWithoutSourceAccount_AndIsSetAfterItsPolicy()
    {
        var query = Printed("account-nonprod");

        var trust = ProgramQuery.Document(query.Properties("apigateway-cloudwatch-role")["assumeRolePolicy"]);
        var statement = trust["Statement"]!.AsArray().Single()!;
        statement["Principal"]!["Service"]!.GetValue<string>().Should().Be("apigateway.amazonaws.com");
        statement["Condition"].Should().BeNull("API Gateway does not set aws:SourceAccount when it assumes this role");
        query.Properties("apigateway-cloudwatch-policy")["policyArn"]!.GetValue<string>()
            .Should().Be("arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs");
        var account = query.Resource("apigateway-account")!;
        account["options"]!["dependsOn"]!.AsArray().Select(d => d!.GetValue<string>()).Should().Equal("${apigateway-cloudwatch-policy}");
        account["options"]!["protect"]!.GetValue<bool>().Should().BeTrue("deleting it resets the region's setting and breaks every environment's logs");
        query.Count("aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration").Should().Be(0);
    }

    [Fact]
    public void AccountStack_Prod_LogsBedrockInvocationsWithoutPromptText()
    {
        var query = Printed("account-prod");

        var logging = query.Properties("bedrock-invocation-logging")["loggingConfig"]!;
        logging["textDataDeliveryEnabled"]!.GetValue<bool>().Should().BeFalse();
        query.Properties("bedrock-invocation-logs")["retentionInDays"]!.GetValue<int>().Should().Be(365);
    }

    [Theory]
    [InlineData("llm-cost:gateway", """{"authDomainPrefix":"example-llm-cost-dev","manageAccountLogRole":true}""", "llm-cost:gateway.manageAccountLogRole")]
    [InlineData("llm-cost:bedrock", """{"invocationLogging":true}""", "llm-cost:bedrock")]
    [InlineData("llm-cost:accountStack", null, "llm-cost:accountStack")]
    public void AccountSettingsInAnEnvironmentStack_AreRefusedWithWhereTheyMoved(string key, string? value, string expectedKey)
    {
        var act = () => StackSettingsReader.Read(Repo.ConfigWith("dev", (key, value)));

        act.Should().Throw<ConfigError>().Which.Key.Should().Be(expectedKey);
    }

    [Fact]
    public void DiscoveryProgram_FailsWhenRunAsTheStackByAnOldCli()
    {
        var text = ProgramWriter.Write(CompilerMode.DiscoveryProgram());
        var program = JsonNode.Parse(text)!;

        program["name"]!.GetValue<string>().Should().Be("llm-cost");
        program["resources"]!.AsObject().Should().ContainSingle();
        var guard = program["variables"]!["compilerContract"]!["fn::readFile"]!.GetValue<string>();
        guard.Should().Contain("pulumi-yaml 1.8.0");
        File.Exists(Path.Combine(Repo.Root, guard)).Should().BeFalse("the guard works only while its file cannot exist");
    }

    [Fact]
    public void Prod_FleetRouteGoesToItsEndpoint_WithItsBedrockFallback()
    {
        var synthesized = Repo.Synthesize("prod");
        var small = synthesized.RouterConfiguration.Routes.Single(r => r.Name == "small");

        small.Backend.Should().Be(Backend.Fleet);
        small.Transport.Should().Be(new LlmCost.CostModel.FleetTransport(FleetTransportKind.SageMakerEndpoint));
        small.InvokeId.Should().Be("llm-cost-prod-fleet", "prod's endpoint name is the default llm-cost-{stack}-fleet");
        small.ModelId.Should().Be("llama-3.1-8b-instruct");
        small.Fallback.Should().Be("small-bedrock");
        small.MaxOutputTokens.Should().Be(1024);
        synthesized.Notes.Should().NotContain(n => n.Contains("does not deploy", StringComparison.Ordinal));
    }

    [Fact]
    public void ModelCheck_EndOfLifeModel_StopsNamingTheKey()
    {
        var act = () => Repo.Costs(StackSettingsReader.Read(Repo.ConfigWith("prod", ("llm-cost:routes", """
            [{"name":"small","model":"amazon.nova-micro-v1:0","maxInputTokens":8000,"maxOutputTokens":512},
             {"name":"large","model":"anthropic.claude-3-7-sonnet-20250219-v1:0","crossRegion":"us","maxInputTokens":8000,"maxOutputTokens":512}]
            """), ("llm-cost:autoRouting", null), ("llm-cost:demand", null), ("llm-cost:fleet", null))));

        act.Should().Throw<ConfigError>().Which.Message.Should()
            .Contain("llm-cost:routes[1].model").And.Contain("end of life on Bedrock on 2026-04-28");
    }

    [Fact]
    public void ModelCheck_CrossRegionOnlyModelWithoutCrossRegion_SaysWhichValueWorks()
    {
        var act = () => Repo.Costs(StackSettingsReader.Read(Repo.ConfigWith("prod", ("llm-cost:routes", """
            [{"name":"small","model":"meta.llama3-1-8b-instruct-v1:0","maxInputTokens":8000,"maxOutputTokens":512}]
            """), ("llm-cost:autoRouting", null), ("llm-cost:demand", null), ("llm-cost:fleet", null))));

        act.Should().Throw<ConfigError>().Which.Message.Should()
            .Contain("llm-cost:routes[0].crossRegion").And.Contain("set crossRegion to us");
    }

    [Fact]
    public void ModelCheck_LegacyModelWithAFutureEndOfLife_IsAWarningWithTheDate()
    {
        var settings = StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:routes", """
            [{"name":"small","model":"anthropic.claude-opus-4-1-20250805-v1:0","crossRegion":"us","maxInputTokens":8000,"maxOutputTokens":512}]
            """), ("llm-cost:autoRouting", null), ("llm-cost:demand", null)));

        var warnings = ModelAvailabilityCheck.Check(settings, BedrockModelCatalog.Embedded, new DateOnly(2026, 11, 28));
        var after = () => ModelAvailabilityCheck.Check(settings, BedrockModelCatalog.Embedded, new DateOnly(2027, 1, 8));

        warnings.Should().ContainSingle().Which.Should().Contain("stops working on 2027-01-08");
        after.Should().Throw<ConfigError>();
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void ModelCheck_TheStacksOwnModelsPass(string stack)
    {
        var warnings = ModelAvailabilityCheck.Check(Repo.Settings(stack), BedrockModelCatalog.Embedded, new DateOnly(2026, 11, 28));

        warnings.Should().BeEmpty();
    }

    [Fact]
    public void ModelCatalog_IsDatedAndEveryModelCitesASource()
    {
        var catalog = BedrockModelCatalog.Embedded;

        catalog.AsOf.Should().Be("2026-11-28");
        catalog.Models.Should().OnlyContain(m => m.Sources.Count > 0);
        catalog.Find("amazon.nova-micro-v1:0")!.In("us-east-1")!.OnDemand.Should().BeTrue();
    }

    [Fact]
    public void ReservedConcurrency_None_ReservesNothing_AndAReservationStatesTheAccountLimitItNeeds()
    {
        var none = Repo.Synthesize(StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:router", """{"reservedConcurrency":"none"}"""))));
        var reserved = Repo.Synthesize("staging");

        ProgramQuery.Of(none.Program).Properties("router-function").ContainsKey("reservedConcurrentExecutions").Should().BeFalse();
        none.Notes.Should().NotContain(n => n.Contains("reserves", StringComparison.Ordinal));
        reserved.Notes.Should().Contain(n => n.Contains("reserves 20 concurrent executions", StringComparison.Ordinal) && n.Contains("at least 120", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void GatewayAndRouter_AgreeOnPathsAndTime(string stack)
    {
        var query = Printed(stack);
        string Part(string name) => query.Properties(name)["pathPart"]!.GetValue<string>();

        // The router serves POST /v1/chat/completions and GET /v1/models (lambda/LlmCost.Router/Handling/RouterHandler.cs).
        $"/{Part("gateway-v1")}/{Part("gateway-chat")}/{Part("gateway-completions")}".Should().Be("/v1/chat/completions");
        $"/{Part("gateway-v1")}/{Part("gateway-models")}".Should().Be("/v1/models");
        var routerTimeoutMs = query.Properties("router-function")["timeout"]!.GetValue<int>() * 1000;
        query.Properties("gateway-chat-post-integration")["timeoutMilliseconds"]!.GetValue<int>().Should().Be(900_000).And.BeGreaterThan(routerTimeoutMs);
    }

    [Fact]
    public void AccountStack_ThatNamesAnEnvironmentOrItself_IsRefused()
    {
        var environment = () => Repo.Costs(StackSettingsReader.Read(Repo.ConfigWith("staging", ("llm-cost:accountStack", "dev"))));
        var itself = () => StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:accountStack", "dev")));

        environment.Should().Throw<ConfigError>().Which.Problem.Should().Contain("declares as an environment, not an account stack");
        itself.Should().Throw<ConfigError>().Which.Key.Should().Be("llm-cost:accountStack");
    }
}
