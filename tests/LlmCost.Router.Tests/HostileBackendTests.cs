using System.Text;
using LlmCost.Router.Tests.Servers;

namespace LlmCost.Router.Tests;

/// <summary>
/// Broken or hostile backends (issue 14 item 3): their text never reaches a record, record lines stay bounded,
/// impossible usage is not priced, answers are read up to a limit, Lambda's 6 MB response limit is respected, and a 429
/// passes on the backend's own Retry-After.
/// </summary>
public sealed class HostileBackendTests
{
    private static string Chat(string model, string content = "hi") =>
        $$$"""{"model":"{{{model}}}","messages":[{"role":"user","content":"{{{content}}}"}]}""";

    [Fact]
    public async Task Chat_BackendThrottlesWithRetryAfter_429PassesItsValueOn()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Bedrock.Default = Replies.Status(429, "{}", retryAfter: "40");

        var result = await router.ChatAsync(Chat("small-bedrock"));

        result.Status.Should().Be(429);
        result.Headers["Retry-After"].Should().Be("40");
        router.Bedrock.Received.Should().ContainSingle("a 40 s wait does not fit before the deadline, so no retry");
    }

    [Fact]
    public async Task Chat_BackendThrottlesWithoutRetryAfter_429SaysOneSecond()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Bedrock.Default = Replies.AwsError(429, "ThrottlingException", "Too many requests");

        var result = await router.ChatAsync(Chat("small-bedrock"));

        result.Status.Should().Be(429);
        result.Headers["Retry-After"].Should().Be("1");
    }

    [Fact]
    public async Task Chat_AbsurdUsage_NotPricedAndTheFallbackServes()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Bedrock.Default = Replies.When("nova-lite", Replies.ConverseOk("x", long.MaxValue, 3), Replies.ConverseOk("From llama.", 10, 2));

        // search: no inference profiles of its own in prod, so medium is invoked by its model ID, which the reply matches.
        var result = await router.ChatAsync(Chat("medium"), clientId: TestConfig.SearchClient);

        result.Status.Should().Be(200);
        result.Record.GetProperty("backendFailures")[0].GetString().Should().Be("medium:usage_implausible");
        // llama 3.1 8b: (10 + 2) x 0.22 per 1M.
        result.Record.GetProperty("costUsd").GetDecimal().Should().Be(0.00000264m);
        result.Body.GetProperty("usage").GetProperty("total_tokens").GetInt64().Should().Be(12);
    }

    [Fact]
    public async Task Chat_AbsurdUsageWithoutFallback_502AndZeroCost()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Bedrock.Default = Replies.ConverseOk("x", long.MaxValue, long.MaxValue);

        var result = await router.ChatAsync(Chat("small-bedrock"));

        result.Status.Should().Be(502);
        result.Record.GetProperty("costUsd").GetDecimal().Should().Be(0);
        result.Record.GetProperty("backendFailures")[0].GetString().Should().Be("small-bedrock:usage_implausible");
    }

    [Fact]
    public async Task Chat_FleetReportsOutputFarOverTheCap_TreatedAsABackendFailure()
    {
        await using var router = await RouterHarness.StartAsync();
        // The small route's cap is 1024 output tokens; 2 x 1024 + 64 = 2112 is the most believed.
        router.Fleet.Default = Replies.OpenAiOk("short", 20, 2113);

        var result = await router.ChatAsync("""{"model":"auto","messages":[{"role":"user","content":"hi"}]}""");

        result.Status.Should().Be(200);
        result.Record.GetProperty("route").GetString().Should().Be("small-bedrock");
        result.Record.GetProperty("backendFailures")[0].GetString().Should().Be("small:usage_implausible");
    }

    [Fact]
    public async Task Chat_AnswerOverTheReadLimit_RefusedWithoutHoldingIt()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Bedrock.Default = Replies.ConverseOk(new string('a', 5 * 1024 * 1024), 10, 3);

        var result = await router.ChatAsync(Chat("small-bedrock"));

        result.Status.Should().Be(502);
        result.Record.GetProperty("backendFailures")[0].GetString().Should().Be("small-bedrock:answer_too_large");
        result.Record.GetProperty("errorCode").GetString().Should().Be("backend_malformed_response");
        router.Bedrock.Received.Should().ContainSingle("an oversized answer is not retried");
    }

    [Fact]
    public async Task Chat_AnswerWhoseResponseWouldPassLambdasLimit_502RecordedWithItsCost()
    {
        await using var router = await RouterHarness.StartAsync();
        // 1.9M quote characters: 3.8 MB as Converse sends them (\"), under the 4 MiB read limit; escaped again in the
        // proxy response's body string they take 4 bytes each, 7.6 MB, over Lambda's 6,291,456.
        var text = string.Concat(Enumerable.Repeat("\\\"", 1_900_000));
        router.Bedrock.Default = Replies.Json(200, "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"" + text
            + "\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":10,\"outputTokens\":1000,\"totalTokens\":1010},\"metrics\":{\"latencyMs\":1}}");

        var result = await router.ChatAsync(Chat("small-bedrock"));

        result.Status.Should().Be(502);
        result.Body.GetProperty("error").GetProperty("code").GetString().Should().Be("response_too_large");
        result.Record.GetProperty("status").GetInt32().Should().Be(502);
        result.Record.GetProperty("errorCode").GetString().Should().Be("response_too_large");
        // The answer was paid for: (10 + 1000) x 0.22 per 1M.
        result.Record.GetProperty("costUsd").GetDecimal().Should().Be(0.0002222m);
    }

    [Fact]
    public async Task Chat_HugeBackendErrorQuotingThePrompt_NeitherReachesTheRecord()
    {
        await using var router = await RouterHarness.StartAsync();
        // 50 KB: under the 64 KiB the router reads of an error body, so the client's response can quote it (clipped).
        var quoted = "Input rejected: my-secret-prompt-text " + new string('x', 50_000);
        router.Bedrock.Default = Replies.AwsError(400, "ValidationException", quoted);

        var result = await router.ChatAsync(Chat("medium", "my-secret-prompt-text"));

        result.Status.Should().Be(400);
        var line = result.Record.GetRawText();
        line.Should().NotContain("my-secret-prompt-text");
        line.Length.Should().BeLessThan(8 * 1024);
        result.ErrorMessage.Should().StartWith("the model backend rejected the request (Bedrock 400 ValidationException (request_rejected)): Input rejected: my-secret-prompt-text xxx");
        result.ErrorMessage.Should().EndWith("x...", "the client sees at most 300 characters of the backend's message");
    }

    [Fact]
    public async Task Chat_HugeServerErrorBody_RecordKeepsOnlyTheCode()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Bedrock.Default = Replies.When("nova-lite", Replies.AwsError(500, "InternalServerException", "boom " + new string('y', 1024 * 1024)), Replies.ConverseOk("ok", 1, 1));

        // search: medium by its model ID (no app profile), which the failure matches.
        var result = await router.ChatAsync(Chat("medium"), clientId: TestConfig.SearchClient);

        result.Status.Should().Be(200);
        result.Record.GetRawText().Should().NotContain("boom");
        result.Record.GetProperty("backendFailures")[0].GetString().Should().Be("medium:server_error");
    }

    [Fact]
    public async Task Chat_LoggedPromptsOfAMegabyte_RecordLineStaysBounded()
    {
        await using var router = await RouterHarness.StartAsync(TestConfig.Prod(logPrompts: true, maxMessageChars: 2_000_000));
        router.Bedrock.Default = Replies.ConverseOk(new string('a', 1_000_000), 10, 3);

        var result = await router.ChatAsync(Chat("large", string.Concat(Enumerable.Repeat("word ", 20_000))));

        result.Status.Should().Be(200);
        result.Record.GetRawText().Length.Should().BeLessThan(64 * 1024);
        result.Record.GetProperty("completion").GetString().Should().Be(new string('a', 8192) + "...[clipped 991808 chars]");
        // "[user] " + 100,000 characters, clipped at 8,192: 100,007 - 8,192 = 91,815 cut.
        result.Record.GetProperty("prompt").GetString().Should().EndWith("...[clipped 91815 chars]");
    }
}
