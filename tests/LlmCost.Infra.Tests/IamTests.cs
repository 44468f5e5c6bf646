using System.Text.Json.Nodes;

namespace LlmCost.Infra.Tests;

/// <summary>The router role grants nothing beyond what the stack configures.</summary>
public sealed class IamTests
{
    public static TheoryData<string> Stacks => new(Repo.Stacks);

    private static List<JsonObject> RouterStatements(string stack) =>
        ProgramQuery.Document(ProgramQuery.Of(Repo.Synthesize(stack).Program).Properties("router-policy")["policy"])["Statement"]!
            .AsArray().Select(s => s!.AsObject()).ToList();

    private static IEnumerable<string> Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>());

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
