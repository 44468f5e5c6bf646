using System.Text.Json.Nodes;

namespace LlmCost.Infra.Tests.Components;

/// <summary>The REST API in front of the router: app-token authorization, throttling, request limits, access logs and streamed integrations, on printed programs.</summary>
public sealed class GatewayTests
{
    public static TheoryData<string> Stacks => new(Repo.Stacks);

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
        // One client per app in the stack file's llm-cost:apps (dev 1, staging 2, prod 3), named after it.
        clients.Select(c => c["name"]!.GetValue<string>()).Should().Equal(StackFileLiterals.Apps(stack));
        clients.Should().OnlyContain(c => c["allowedOauthFlows"]!.ToJsonString() == """["client_credentials"]""" && c["generateSecret"]!.GetValue<bool>());
    }

    [Theory]
    // The stack files' llm-cost:gateway: throttleRatePerSecond, throttleBurst, maxMessages, maxMessageChars, accessLogRetentionDays.
    [InlineData("dev", 5, 10, 32, 32000, 7)]
    [InlineData("staging", 20, 40, 64, 100000, 14)]
    [InlineData("prod", 200, 400, 128, 200000, 90)]
    public void Gateway_ThrottlingSizeLimitsAndAccessLogsFollowSettings(string stack, int rate, int burst, int maxMessages, int maxMessageChars, int accessLogRetentionDays)
    {
        var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);

        var throttling = query.Properties("gateway-throttling");
        throttling["methodPath"]!.GetValue<string>().Should().Be("*/*");
        throttling["settings"]!["throttlingRateLimit"]!.GetValue<decimal>().Should().Be(rate);
        throttling["settings"]!["throttlingBurstLimit"]!.GetValue<decimal>().Should().Be(burst);

        var schema = JsonNode.Parse(query.Properties("gateway-chat-request-model")["schema"]!.GetValue<string>())!;
        schema["properties"]!["messages"]!["maxItems"]!.GetValue<int>().Should().Be(maxMessages);
        schema["properties"]!["messages"]!["items"]!["properties"]!["content"]!["maxLength"]!.GetValue<int>().Should().Be(maxMessageChars);
        query.Properties("gateway-chat-post-method")["requestValidatorId"]!.GetValue<string>().Should().Be("${gateway-body-validator.id}");
        query.Properties("router-function")["timeout"]!.GetValue<int>().Should().BeLessThan(900, "the router must answer before the gateway gives up, cold start included");

        query.Properties("gateway-stage")["accessLogSettings"]!["destinationArn"]!.GetValue<string>().Should().Be("${gateway-access-logs.arn}");
        query.Properties("gateway-access-logs")["retentionInDays"]!.GetValue<int>().Should().Be(accessLogRetentionDays);
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
}
