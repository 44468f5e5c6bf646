using System.Text.Json;
using LlmCost.Router.Tests.Servers;

namespace LlmCost.Router.Tests;

/// <summary>
/// Fleet routes end to end: SageMaker InvokeEndpoint (signed, SageMaker's error shapes) and an ECS service speaking
/// OpenAI chat completions; a throttled or failing fleet sends traffic to its Bedrock fallback, and later requests
/// skip it while it recovers.
/// </summary>
public sealed class FleetEndToEndTests
{
    private const string Hi = """{"model":"auto","messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public async Task Chat_AutoShortPromptOnSageMaker_SignedInvokeEndpointAndCost()
    {
        await using var router = await RouterHarness.StartAsync();

        var result = await router.ChatAsync(Hi, clientId: TestConfig.SearchClient);

        result.Status.Should().Be(200);
        result.Headers["x-llm-cost-route"].Should().Be("small");
        var sent = router.Fleet.Received.Single();
        sent.RawTarget.Should().Be("/endpoints/llm-cost-prod-fleet/invocations");
        SignatureCheck.Verify(sent, RouterHarness.SecretKey).Should().Be(("sagemaker", "us-east-1", true));
        var request = JsonDocument.Parse(sent.Body).RootElement;
        request.GetProperty("model").GetString().Should().Be("llama-3.1-8b-instruct");
        request.GetProperty("max_tokens").GetInt32().Should().Be(1024);
        // prod's fleet price: ml.inf2.xlarge on SageMaker at 0.99 USD/h (price snapshot) over 2000 tokens/s x 3600 s x 0.7
        // utilisation (stack file) = 5.04M tokens/h -> 0.99 / 5.04 = 0.196429 per 1M (6 places); (20 + 5) x 0.196429 per 1M.
        result.Record.GetProperty("costUsd").GetDecimal().Should().Be(0.000004910725m);
        result.Record.GetProperty("backend").GetString().Should().Be("fleet");
        result.Record.GetProperty("app").GetString().Should().Be("search");
        result.Record.GetProperty("user").GetString().Should().Be(TestConfig.SearchClient);
        result.Record.GetProperty("reason").GetString().Should().StartWith("auto: score 0.000 (length 0.00, code 0.00, reasoning 0.00, output 0.00) -> tier small (maxScore 0.4); fleet healthy");
        router.Bedrock.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task Chat_SageMakerThrottles_FallsBackAtOnceAndLaterRequestsSkipTheFleet()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Fleet.Then(Replies.AwsError(400, "ThrottlingException", "Rate exceeded"));

        var first = await router.ChatAsync(Hi);
        var second = await router.ChatAsync(Hi);

        first.Status.Should().Be(200);
        first.Record.GetProperty("route").GetString().Should().Be("small-bedrock");
        first.Record.GetProperty("attempts").GetInt32().Should().Be(2, "a throttled fleet is not retried when a fallback exists");
        first.Record.GetProperty("reason").GetString().Should().EndWith("small failed (throttled) -> fallback small-bedrock");
        second.Record.GetProperty("route").GetString().Should().Be("small-bedrock");
        second.Record.GetProperty("reason").GetString().Should().Contain("; fleet llm-cost-prod-fleet throttled until ");
        router.Fleet.Received.Should().ContainSingle("the second request did not try the throttled fleet");
    }

    [Fact]
    public async Task Chat_SageMakerModelErrorWith503_RetriedAsServerError()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Fleet.Then(Replies.AwsError(424, "ModelError", "container said 503", ",\"OriginalStatusCode\":503"));

        var result = await router.ChatAsync(Hi);

        result.Status.Should().Be(200);
        result.Record.GetProperty("route").GetString().Should().Be("small");
        result.Record.GetProperty("attempts").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task Chat_SageMakerModelErrorWithContainer400_IsTheClients400NotA502()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Fleet.Then(Replies.AwsError(424, "ModelError", "input longer than the context", ",\"OriginalStatusCode\":400"));

        var result = await router.ChatAsync(Hi);

        result.Status.Should().Be(400);
        result.Record.GetProperty("outcome").GetString().Should().Be("client_error");
        router.Fleet.Received.Should().ContainSingle("a rejected request is neither retried nor sent to the fallback");
    }

    [Fact]
    public async Task Chat_SageMakerModelErrorWithNonNumericStatus_IsABackendFailureNotARouterError()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Fleet.Default = Replies.AwsError(424, "ModelError", "odd", ",\"OriginalStatusCode\":\"bad\"");

        var result = await router.ChatAsync(Hi);

        result.Record.GetProperty("outcome").GetString().Should().NotBe("router_error");
        result.Status.Should().NotBe(500);
    }

    [Fact]
    public async Task Chat_EcsOpenAiCompatible_UnsignedCallAndCachedTokensPricedOnce()
    {
        await using var router = await RouterHarness.StartAsync(fleetIsEcs: true);
        router.Fleet.Then(Replies.OpenAiOk("cached answer", prompt: 100, completion: 10, cached: 40));

        var result = await router.ChatAsync(Hi);

        result.Status.Should().Be(200);
        var sent = router.Fleet.Received.Single();
        sent.Path.Should().Be("/v1/chat/completions");
        sent.Headers.ContainsKey("Authorization").Should().BeFalse();
        var usage = result.Body.GetProperty("usage");
        usage.GetProperty("prompt_tokens").GetInt64().Should().Be(100);
        usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt64().Should().Be(40);
        // 60 uncached + 40 cached (no cache price on the fleet: input price) + 10 out = 110, all at prod's fleet price
        // 0.196429 per 1M (0.99 USD/h over 2000 tokens/s x 3600 s x 0.7): 110 x 0.196429 = 21.60719 -> 0.00002160719 USD.
        result.Record.GetProperty("costUsd").GetDecimal().Should().Be(0.00002160719m);
        result.Record.GetProperty("inputTokens").GetInt64().Should().Be(60);
        result.Record.GetProperty("cacheReadTokens").GetInt64().Should().Be(40);
    }

    [Fact]
    public async Task Chat_Ecs500sInARow_FleetMarkedUnhealthyAndSkipped()
    {
        await using var router = await RouterHarness.StartAsync(fleetIsEcs: true);
        router.Fleet.Default = Replies.Status(500, """{"error":"CUDA out of memory"}""");
        router.Bedrock.Default = Replies.ConverseOk("from bedrock", 5, 5);

        var first = await router.ChatAsync(Hi);
        var second = await router.ChatAsync(Hi);

        first.Status.Should().Be(200);
        first.Record.GetProperty("attempts").GetInt32().Should().Be(4, "three fleet attempts, then the fallback");
        first.Record.GetProperty("reason").GetString().Should().EndWith("small failed (server_error) -> fallback small-bedrock");
        second.Record.GetProperty("reason").GetString().Should().Contain("fleet llm-cost-prod-fleet unhealthy (3 failures in a row, last: server_error) until ");
        router.Fleet.Received.Should().HaveCount(3);
    }

    [Fact]
    public async Task Chat_EcsMalformedAnswer_FallsBackToBedrock()
    {
        await using var router = await RouterHarness.StartAsync(fleetIsEcs: true);
        router.Fleet.Then(Replies.Json(200, """{"choices":[]}"""));

        var result = await router.ChatAsync(Hi);

        result.Status.Should().Be(200);
        result.Record.GetProperty("route").GetString().Should().Be("small-bedrock");
        result.Record.GetProperty("reason").GetString().Should().EndWith("small failed (malformed_response) -> fallback small-bedrock");
    }

    [Fact]
    public async Task Chat_EcsHangs_TimesOutAndBedrockServesWithTheTimeLeft()
    {
        await using var router = await RouterHarness.StartAsync(fleetIsEcs: true);
        router.Fleet.Default = Replies.Hang(TimeSpan.FromSeconds(30), Replies.OpenAiOk("late", 1, 1));

        var result = await router.ChatAsync(Hi, deadline: TimeSpan.FromSeconds(7));

        result.Status.Should().Be(200);
        result.Record.GetProperty("route").GetString().Should().Be("small-bedrock");
        result.Record.GetProperty("reason").GetString().Should().EndWith("small failed (timeout) -> fallback small-bedrock");
    }

    [Fact]
    public async Task Chat_FleetThrottlesWithRetryAfter_HonouredAsTheCoolOff()
    {
        await using var router = await RouterHarness.StartAsync(fleetIsEcs: true);
        router.Fleet.Then(Replies.Status(429, "{}", retryAfter: "120"));

        var first = await router.ChatAsync(Hi);

        first.Record.GetProperty("route").GetString().Should().Be("small-bedrock");
        var second = await router.ChatAsync(Hi);
        second.Record.GetProperty("reason").GetString().Should().Contain("throttled until");
    }
}
