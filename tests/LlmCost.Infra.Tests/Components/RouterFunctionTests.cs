using System.Text.Json.Nodes;
using LlmCost.CostModel;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Tests.Components;

/// <summary>The router Lambda: its settings, its configuration document and its role, which grants nothing beyond what the stack configures, on printed programs.</summary>
public sealed class RouterFunctionTests
{
    public static TheoryData<string> Stacks => new(Repo.Stacks);

    private static List<JsonObject> RouterStatements(string stack) =>
        ProgramQuery.Document(ProgramQuery.Of(Repo.Synthesize(stack).Program).Properties("router-policy")["policy"])["Statement"]!
            .AsArray().Select(s => s!.AsObject()).ToList();

    private static IEnumerable<string> Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>());

    [Theory]
    // The stack files' llm-cost:router: memoryMb, timeoutSeconds, reservedConcurrency. staging and prod leave
    // timeoutSeconds unset: the default, 899 (the gateway's streamed 900 s less one).
    [InlineData("dev", 512, 28, 5)]
    [InlineData("staging", 512, 899, 20)]
    [InlineData("prod", 1024, 899, 200)]
    public void RouterFunction_PropertiesFollowSettings(string stack, int memoryMb, int timeoutSeconds, int reservedConcurrency)
    {
        var function = ProgramQuery.Of(Repo.Synthesize(stack).Program).Properties("router-function");

        function["runtime"]!.GetValue<string>().Should().Be("provided.al2023");
        function["handler"]!.GetValue<string>().Should().Be("bootstrap");
        function["architectures"]!.ToJsonString().Should().Be("""["arm64"]""", "every stack file says architecture: arm64");
        function["memorySize"]!.GetValue<int>().Should().Be(memoryMb);
        function["timeout"]!.GetValue<int>().Should().Be(timeoutSeconds);
        function["reservedConcurrentExecutions"]!.GetValue<int>().Should().Be(reservedConcurrency);
        function["code"]!["fn::fileArchive"]!.GetValue<string>().Should().Be("lambda/dist/router-arm64.zip");
        function["loggingConfig"]!["logGroup"]!.GetValue<string>().Should().Be("${router-logs.name}");
        // The gateway's integrations are STREAM: the function answers every invocation in the streamed format.
        function["environment"]!["variables"]!["LLM_COST_RESPONSE_STREAMING"]!.GetValue<string>().Should().Be("1");
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
        routes.Select(r => r!["name"]!.GetValue<string>()).Should().Equal(StackFileLiterals.Routes(stack));
        foreach (var (name, input, output) in StackFileLiterals.RoutePrices(stack))
        {
            var route = routes.Single(r => r!["name"]!.GetValue<string>() == name)!;
            route["prices"]!["inputPer1M"]!.GetValue<decimal>().Should().Be(input, name);
            route["prices"]!["outputPer1M"]!.GetValue<decimal>().Should().Be(output, name);
        }

        document["apps"]!.AsArray().Select(a => a!["clientId"]!.GetValue<string>())
            .Should().Equal(StackFileLiterals.Apps(stack).Select(a => $"${{auth-client-{a}.id}}"));
        RouterConfigurationValidator.Problems(synthesized.RouterConfiguration).Should().BeEmpty();
    }

    [Fact]
    public void RouterConfiguration_Prices_MatchHandComputedFigures()
    {
        var document = ProgramQuery.Document(ProgramQuery.Of(Repo.Synthesize("prod").Program)
            .Properties("router-function")["environment"]!["variables"]![RouterConfiguration.EnvironmentVariable]);
        JsonNode Route(string name) => document["routes"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == name)!;
        static decimal? Price(JsonNode route, string field) => route["prices"]![field]?.GetValue<decimal>();

        // The fleet route: ml.inf2.xlarge at 0.99/h (snapshot) over 2000 tokens/s x 3600 s x 0.7 = 5,040,000 tokens -> 0.196429 per 1M.
        var small = Route("small");
        (Price(small, "inputPer1M"), Price(small, "outputPer1M"), Price(small, "cacheReadPer1M"), Price(small, "cacheWritePer1M"))
            .Should().Be((0.196429m, 0.196429m, null, null));
        // Sonnet 4.5 through the us profile: 3/15 global plus 10% for a geographic profile; cache read 0.1x, write 1.25x input.
        var large = Route("large");
        (Price(large, "inputPer1M"), Price(large, "outputPer1M"), Price(large, "cacheReadPer1M"), Price(large, "cacheWritePer1M"))
            .Should().Be((3.30m, 16.50m, 0.33m, 4.125m));
        large["invokeId"]!.GetValue<string>().Should().Be("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        small["invokeId"]!.GetValue<string>().Should().Be("llm-cost-prod-fleet");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void RouterRole_ActionsAreExactlyLogsBedrockAndTheFleet(string stack)
    {
        var actions = RouterStatements(stack).SelectMany(s => Strings(s["Action"])).Distinct().ToList();

        // Converse and ConverseStream (stream: true) on Bedrock.
        var expected = new List<string> { "logs:CreateLogStream", "logs:PutLogEvents", "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream" };
        if (stack == "prod")
        {
            // prod's fleet route calls its SageMaker endpoint, whole or streamed; its apps have monthly budgets, reserved and settled in its table.
            expected.AddRange(["sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream", "dynamodb:GetItem", "dynamodb:UpdateItem"]);
        }

        actions.Should().BeEquivalentTo(expected);
        actions.Should().NotContain(a => a.Contains('*'));
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void RouterRole_ResourcesAreSpecificArns(string stack)
    {
        foreach (var statement in RouterStatements(stack))
        {
            foreach (var resource in Strings(statement["Resource"]))
            {
                resource.Should().NotBe("*");
                var isOwnLogGroup = resource == "${router-logs.arn}:*";
                var isCrossRegionModel = resource.StartsWith("arn:aws:bedrock:*::foundation-model/", StringComparison.Ordinal);
                if (resource.Contains('*') && !isOwnLogGroup)
                {
                    // The only wildcard: the model in every region of a cross-region profile, which AWS requires,
                    // and only through this stack's profiles.
                    isCrossRegionModel.Should().BeTrue(resource);
                    statement["Condition"]!["StringEquals"]!["bedrock:InferenceProfileArn"].Should().NotBeNull();
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void RouterRole_InvokesExactlyTheStacksFleetEndpoint_OnlyWhereItHasOne(string stack)
    {
        var fleet = RouterStatements(stack).Where(s => Strings(s["Action"]).Any(a => a.StartsWith("sagemaker:", StringComparison.Ordinal))).ToList();

        if (stack == "prod")
        {
            // prod's endpoint name is the default llm-cost-{stack}-fleet; SageMaker writes endpoint ARNs in lower case.
            fleet.Should().ContainSingle();
            Strings(fleet[0]["Action"]).Should().Equal("sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream");
            Strings(fleet[0]["Resource"]).Should().Equal("arn:aws:sagemaker:us-east-1:${accountId}:endpoint/llm-cost-prod-fleet");
        }
        else
        {
            fleet.Should().BeEmpty();
        }
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void RouterRole_OnlyLambdaInThisAccountMayAssumeIt(string stack)
    {
        var trust = ProgramQuery.Document(ProgramQuery.Of(Repo.Synthesize(stack).Program).Properties("router-role")["assumeRolePolicy"]);

        trust.ToJsonString().Should().Be("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"${accountId}"}}}]}""");
    }
}
