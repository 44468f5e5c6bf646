using System.Text.Json;
using LlmCost.Router.Tests.Servers;

namespace LlmCost.Router.Tests;

/// <summary>The handler end to end against a local server speaking Bedrock Converse: success, retries, fallback, timeouts, broken answers.</summary>
public sealed class BedrockEndToEndTests : IAsyncLifetime
{
    private RouterHarness _router = null!;

    public async Task InitializeAsync() => _router = await RouterHarness.StartAsync();

    public async Task DisposeAsync() => await _router.DisposeAsync();

    private static string Chat(string model, string content = "Say hi", string extra = "") =>
        JsonSerializer.Serialize(new { model, messages = new object[] { new { role = "system", content = "Be terse." }, new { role = "user", content } } })[..^1] + extra + "}";

    [Fact]
    public async Task Chat_MediumRoute_OpenAiShapeCostHeadersAndHandComputedRecord()
    {
        _router.Bedrock.Then(Replies.ConverseOk("Hello.", input: 1000, output: 500, cacheRead: 2000, cacheWrite: 100));

        var result = await _router.ChatAsync(Chat("medium", "Say hi"));

        result.Status.Should().Be(200);
        // nova-lite: 1000 x 0.06 + 500 x 0.24 + 2000 x 0.015 (cache read) + 100 x 0 (cache write) = 210 USD per 1M tokens.
        result.Headers["x-llm-cost-usd"].Should().Be("0.00021");
        result.Headers["x-llm-cost-route"].Should().Be("medium");
        result.Headers["x-llm-cost-model"].Should().Be("amazon.nova-lite-v1:0");
        var body = result.Body;
        body.GetProperty("object").GetString().Should().Be("chat.completion");
        body.GetProperty("model").GetString().Should().Be("amazon.nova-lite-v1:0");
        body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("Hello.");
        body.GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("stop");
        var usage = body.GetProperty("usage");
        usage.GetProperty("prompt_tokens").GetInt64().Should().Be(3100);
        usage.GetProperty("completion_tokens").GetInt64().Should().Be(500);
        usage.GetProperty("total_tokens").GetInt64().Should().Be(3600);
        usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt64().Should().Be(2000);

        var record = result.Record;
        record.GetProperty("costUsd").GetDecimal().Should().Be(0.00021m);
        record.GetProperty("inputTokens").GetInt64().Should().Be(1000);
        record.GetProperty("outputTokens").GetInt64().Should().Be(500);
        record.GetProperty("cacheReadTokens").GetInt64().Should().Be(2000);
        record.GetProperty("cacheWriteTokens").GetInt64().Should().Be(100);
        // Counted: 2 messages x (3 framing + text) + 3 for the reply; "Be terse." is 3 o200k tokens, "Say hi" 2 -> 14.
        record.GetProperty("countedInputTokens").GetInt32().Should().Be(14);
        record.GetProperty("estimatedInputTokens").GetInt32().Should().Be(14);
        record.GetProperty("maxOutputTokens").GetInt32().Should().Be(2048);
        // Worst case before the call: 14 x 0.06 + 2048 x 0.24 = 0.84 + 491.52 = 492.36 per 1M.
        record.GetProperty("estimatedCostUsd").GetDecimal().Should().Be(0.00049236m);
        result.Headers["x-llm-cost-estimated-usd"].Should().Be("0.00049236");
        record.GetProperty("route").GetString().Should().Be("medium");
        record.GetProperty("reason").GetString().Should().Be("explicit: medium");
        record.GetProperty("status").GetInt32().Should().Be(200);
        record.GetProperty("attempts").GetInt32().Should().Be(1);
        record.GetProperty("app").GetString().Should().Be("support-bot");
        EmfCheck.AssertValid(record);
        // The metric contract the program's alarms and dashboard read (infra/LlmCost.CostModel/UsageMetrics.cs).
        var directive = record.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        directive.GetProperty("Dimensions").GetRawText().Should().Be("""[["stack"],["stack","model"],["stack","route"],["stack","app"]]""");
        directive.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString() + ":" + m.GetProperty("Unit").GetString()).Should().Equal(
            "costUsd:None", "estimatedCostUsd:None", "inputTokens:Count", "outputTokens:Count", "cacheReadTokens:Count", "cacheWriteTokens:Count", "latencyMs:Milliseconds", "requests:Count");
        record.GetProperty("model").GetString().Should().Be("amazon.nova-lite-v1:0");
        record.GetProperty("requestedModel").GetString().Should().Be("medium");
        record.GetProperty("latencyMs").GetInt64().Should().BeGreaterThanOrEqualTo(0);
        record.GetProperty("backendLatencyMs").GetInt64().Should().Be(412);
        // The embedded price snapshot's date (infra/LlmCost.Infra/Pricing/price-snapshot.json, asOf).
        record.GetProperty("priceAsOf").GetString().Should().Be("2026-09-30");
        record.TryGetProperty("prompt", out _).Should().BeFalse("prompts are not logged unless the configuration asks");
        record.TryGetProperty("completion", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Chat_LargeRouteForSupportBot_SignedCallThroughTheAppsInferenceProfile()
    {
        _router.Bedrock.Then(Replies.ConverseOk("Sure.", input: 1000, output: 500, cacheRead: 2000, cacheWrite: 100));

        var result = await _router.ChatAsync(Chat("large", extra: ",\"max_tokens\":600,\"temperature\":1.5,\"stop\":[\"END\"]"));

        result.Status.Should().Be(200);
        // prod's large is Claude Sonnet 4.5 through a us. profile (price snapshot: 3.3 in, 16.5 out, 0.33 cache read, 4.125
        // cache write per 1M): 1000 x 3.3 + 500 x 16.5 + 2000 x 0.33 + 100 x 4.125 = 3300 + 8250 + 660 + 412.5 = 12622.5 per 1M.
        result.Record.GetProperty("costUsd").GetDecimal().Should().Be(0.0126225m);
        var sent = _router.Bedrock.Received.Single();
        sent.RawTarget.Should().Be("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fsupport-bot-large/converse");
        sent.Headers["x-amz-security-token"].Should().Be(RouterHarness.SessionToken);
        var (service, region, valid) = SignatureCheck.Verify(sent, RouterHarness.SecretKey);
        (service, region, valid).Should().Be(("bedrock", "us-east-1", true));
        var converse = JsonDocument.Parse(sent.Body).RootElement;
        converse.GetProperty("system")[0].GetProperty("text").GetString().Should().Be("Be terse.");
        converse.GetProperty("messages")[0].GetProperty("role").GetString().Should().Be("user");
        converse.GetProperty("inferenceConfig").GetProperty("maxTokens").GetInt32().Should().Be(600);
        converse.GetProperty("inferenceConfig").GetProperty("temperature").GetDouble().Should().Be(1.0, "Converse's range is 0-1");
        converse.GetProperty("inferenceConfig").GetProperty("stopSequences")[0].GetString().Should().Be("END");
    }

    [Fact]
    public async Task Chat_ModelIdWithColon_PercentEncodedPathAndValidSignature()
    {
        // search: no inference profiles of its own in prod, so the model ID itself is the path.
        var result = await _router.ChatAsync(Chat("amazon.nova-lite-v1:0"), clientId: TestConfig.SearchClient);

        result.Status.Should().Be(200);
        var sent = _router.Bedrock.Received.Single();
        sent.RawTarget.Should().Be("/model/amazon.nova-lite-v1%3A0/converse");
        SignatureCheck.Verify(sent, RouterHarness.SecretKey).Valid.Should().BeTrue();
    }

    [Fact]
    public async Task Chat_ThrottledThenOk_RetriedAndRecordsTwoAttempts()
    {
        _router.Bedrock.Then(Replies.AwsError(429, "ThrottlingException", "Too many requests"));

        var result = await _router.ChatAsync(Chat("small-bedrock"));

        result.Status.Should().Be(200);
        result.Record.GetProperty("attempts").GetInt32().Should().Be(2);
        _router.Bedrock.Received.Should().HaveCount(2);
    }

    [Fact]
    public async Task Chat_500Then503ThenOk_RetriedThreeTimes()
    {
        _router.Bedrock.Then(
            Replies.AwsError(500, "InternalServerException", "oops"),
            Replies.AwsError(503, "ServiceUnavailableException", "busy"));

        var result = await _router.ChatAsync(Chat("small-bedrock"));

        result.Status.Should().Be(200);
        result.Record.GetProperty("attempts").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task Chat_ThrottledOnEveryAttemptWithoutFallback_429WithRetryAfter()
    {
        _router.Bedrock.Default = Replies.AwsError(429, "ThrottlingException", "Too many requests");

        var result = await _router.ChatAsync(Chat("small-bedrock"));

        result.Status.Should().Be(429);
        result.Headers["Retry-After"].Should().Be("1");
        result.Body.GetProperty("error").GetProperty("code").GetString().Should().Be("rate_limit_exceeded");
        result.Record.GetProperty("outcome").GetString().Should().Be("throttled");
        result.Record.GetProperty("attempts").GetInt32().Should().Be(3);
        result.Record.GetProperty("costUsd").GetDecimal().Should().Be(0);
    }

    [Fact]
    public async Task Chat_ThrottledOnEveryAttempt_FallsBackToTheConfiguredRoute()
    {
        _router.Bedrock.Then(
            Replies.AwsError(429, "ThrottlingException", "slow down"),
            Replies.AwsError(429, "ThrottlingException", "slow down"),
            Replies.AwsError(429, "ThrottlingException", "slow down"));
        _router.Bedrock.Default = Replies.ConverseOk("From llama.", 10, 2);

        var result = await _router.ChatAsync(Chat("medium"));

        result.Status.Should().Be(200);
        result.Headers["x-llm-cost-route"].Should().Be("small-bedrock");
        var record = result.Record;
        record.GetProperty("fallbackFrom").GetString().Should().Be("medium");
        record.GetProperty("attempts").GetInt32().Should().Be(4);
        record.GetProperty("reason").GetString().Should().Be("explicit: medium; medium failed (throttled) -> fallback small-bedrock");
        // llama 3.1 8b: (10 + 2) x 0.22 per 1M.
        record.GetProperty("costUsd").GetDecimal().Should().Be(0.00000264m);
        // support-bot has its own inference profile on every Bedrock route in prod: the fallback goes through its small-bedrock one.
        _router.Bedrock.Received[^1].RawTarget.Should().Be("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fsupport-bot-small-bedrock/converse");
    }

    [Fact]
    public async Task Chat_BackendHangs_TimesOutWithinTheDeadlineAnd504()
    {
        _router.Bedrock.Default = Replies.Hang(TimeSpan.FromSeconds(30), Replies.ConverseOk("late", 1, 1));

        var result = await _router.ChatAsync(Chat("small-bedrock"), deadline: TimeSpan.FromSeconds(2));

        result.Status.Should().Be(504);
        // The attempt was given the time to the deadline less the 300 ms the router keeps to record and answer.
        var budget = int.Parse(System.Text.RegularExpressions.Regex.Match(result.ErrorMessage, "did not answer within (\\d+) ms").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        budget.Should().BeInRange(1, 1700);
        result.Record.GetProperty("outcome").GetString().Should().Be("timeout");
        result.Record.GetProperty("attempts").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Chat_BackendHangs_FallbackServesWithTheTimeLeft()
    {
        _router.Bedrock.Then(Replies.Hang(TimeSpan.FromSeconds(30), Replies.ConverseOk("late", 1, 1)));
        _router.Bedrock.Default = Replies.ConverseOk("From llama.", 10, 2);

        var result = await _router.ChatAsync(Chat("medium"), deadline: TimeSpan.FromSeconds(7));

        result.Status.Should().Be(200);
        result.Record.GetProperty("route").GetString().Should().Be("small-bedrock");
        result.Record.GetProperty("reason").GetString().Should().EndWith("medium failed (timeout) -> fallback small-bedrock");
    }

    [Fact]
    public async Task Chat_InvocationCancelledAtTheDeadline_504AndStillOneRecord()
    {
        _router.Bedrock.Default = Replies.Hang(TimeSpan.FromSeconds(30), Replies.ConverseOk("late", 1, 1));
        var proxyEvent = Local.LocalHost.ProxyEvent("POST", "/v1/chat/completions", [], System.Text.Encoding.UTF8.GetBytes(Chat("small-bedrock")), "gw-9", TestConfig.SupportClient);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var output = _router.Records.Count;

        var response = await _router.Handler.HandleAsync(proxyEvent, new Handling.InvocationInfo("l-9", TimeProvider.System.GetUtcNow().AddSeconds(29), null), deadline.Token);

        response.StatusCode.Should().Be(504);
        var record = _router.Records.Skip(output).Should().ContainSingle().Subject;
        record.GetProperty("errorCode").GetString().Should().Be("deadline_exceeded");
        record.GetProperty("outcome").GetString().Should().Be("timeout");
        record.GetProperty("route").GetString().Should().Be("small-bedrock");
    }

    [Fact]
    public async Task Chat_MalformedAnswerWithoutFallback_502AndOneRecord()
    {
        _router.Bedrock.Default = Replies.Json(200, """{"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}},"stopReason":"end_turn"}""");

        var result = await _router.ChatAsync(Chat("small-bedrock"));

        result.Status.Should().Be(502);
        result.Body.GetProperty("error").GetProperty("code").GetString().Should().Be("backend_malformed_response");
        result.ErrorMessage.Should().Contain("not a Converse answer");
        result.Record.GetProperty("outcome").GetString().Should().Be("backend_error");
        result.Record.GetProperty("attempts").GetInt32().Should().Be(1, "a malformed answer is not retried");
    }

    [Fact]
    public async Task Chat_NotJsonAnswer_FallsBack()
    {
        _router.Bedrock.Then(Replies.Json(200, "<html>gateway</html>"));

        var result = await _router.ChatAsync(Chat("medium"));

        result.Status.Should().Be(200);
        result.Record.GetProperty("reason").GetString().Should().EndWith("medium failed (malformed_response) -> fallback small-bedrock");
    }

    [Fact]
    public async Task Chat_ValidationException_400NotRetriedNoFallback()
    {
        _router.Bedrock.Default = Replies.AwsError(400, "ValidationException", "A conversation must start with a user message.");

        var result = await _router.ChatAsync(Chat("medium"));

        result.Status.Should().Be(400);
        result.ErrorMessage.Should().Be("the model backend rejected the request (Bedrock 400 ValidationException (request_rejected)): A conversation must start with a user message.");
        result.Record.GetProperty("errorMessage").GetString().Should().Be("the model backend rejected the request (Bedrock 400 ValidationException (request_rejected))", "the record never keeps the backend's words");
        result.Record.GetProperty("attempts").GetInt32().Should().Be(1);
        result.Record.GetProperty("outcome").GetString().Should().Be("client_error");
        _router.Bedrock.Received.Should().ContainSingle();
    }

    [Fact]
    public async Task Chat_AccessDeniedWithoutFallback_502NamingTheCode()
    {
        _router.Bedrock.Default = Replies.AwsError(403, "AccessDeniedException", "not authorized");

        var result = await _router.ChatAsync(Chat("small-bedrock"));

        result.Status.Should().Be(502);
        result.ErrorMessage.Should().Be("the model backend failed (Bedrock 403 AccessDeniedException (model_access_denied))");
        result.Record.GetProperty("errorCode").GetString().Should().Be("backend_error");
    }

    [Fact]
    public async Task Chat_NoCredentials_500SaysSoAndOneRecord()
    {
        _router.Environment.Remove("AWS_ACCESS_KEY_ID");

        var result = await _router.ChatAsync(Chat("small-bedrock"));

        result.Status.Should().Be(500);
        result.ErrorMessage.Should().Contain("no AWS credentials");
        result.Records.Should().ContainSingle();
        _router.Bedrock.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task Chat_ReportedInputTokens_CalibrateTheNextEstimate()
    {
        var content = string.Join(' ', Enumerable.Range(0, 60).Select(i => $"item{i}"));
        var counted = RouterHarness.Counter.Count([new Chat.ChatMessage("system", "Be terse."), new Chat.ChatMessage("user", content)]);
        _router.Bedrock.Then(Replies.ConverseOk("ok", input: counted * 2, output: 1), Replies.ConverseOk("ok", input: counted, output: 1));

        var first = await _router.ChatAsync(Chat("small-bedrock", content));
        var second = await _router.ChatAsync(Chat("small-bedrock", content));
        var third = await _router.ChatAsync(Chat("small-bedrock", content));

        first.Record.GetProperty("countedInputTokens").GetInt32().Should().Be(counted);
        first.Record.GetProperty("calibrationRatio").GetDouble().Should().Be(1.0, "nothing learned yet");
        // The first report (2x our count) sets the llama family's ratio; the second (1x) moves it a fifth of the way back.
        second.Record.GetProperty("calibrationRatio").GetDouble().Should().Be(2.0);
        second.Record.GetProperty("estimatedInputTokens").GetInt32().Should().Be(counted * 2);
        third.Record.GetProperty("calibrationRatio").GetDouble().Should().Be(1.8);
        third.Record.GetProperty("estimatedInputTokens").GetInt32().Should().Be((int)Math.Ceiling(counted * 1.8));
    }

    [Fact]
    public async Task Chat_CachedTokensReported_NotUsedForCalibration()
    {
        var content = string.Join(' ', Enumerable.Range(0, 60).Select(i => $"item{i}"));
        _router.Bedrock.Then(Replies.ConverseOk("ok", input: 100, output: 1, cacheRead: 50));

        await _router.ChatAsync(Chat("medium", content));
        var next = await _router.ChatAsync(Chat("medium", content));

        next.Record.GetProperty("calibrationRatio").GetDouble().Should().Be(1.0, "whether inputTokens includes cached tokens is not documented");
    }

    [Fact]
    public async Task Chat_LogPromptsConfigured_RecordCarriesPromptAndCompletion()
    {
        await using var router = await RouterHarness.StartAsync(TestConfig.Prod(logPrompts: true));

        var result = await router.ChatAsync(Chat("medium", "Say hi"));

        result.Record.GetProperty("prompt").GetString().Should().Be("[system] Be terse.\n[user] Say hi");
        result.Record.GetProperty("completion").GetString().Should().Be("Hello.");
    }

    [Fact]
    public async Task Records_AfterSuccessesAndFailures_NeverCarryCredentialsOrPrompts()
    {
        _router.Bedrock.Then(Replies.AwsError(403, "AccessDeniedException", "denied"), Replies.AwsError(429, "ThrottlingException", "slow"));
        await _router.ChatAsync(Chat("small-bedrock", "my secret prompt text"));
        await _router.ChatAsync(Chat("medium", "my secret prompt text"));
        await _router.ChatAsync("""{"model":"nope","messages":[{"role":"user","content":"my secret prompt text"}]}""");

        var all = string.Join("\n", _router.Records.Select(r => r.GetRawText()));
        _router.Records.Should().HaveCount(3);
        all.Should().NotContain(RouterHarness.SecretKey).And.NotContain(RouterHarness.SessionToken).And.NotContain("AWS4-HMAC-SHA256")
            .And.NotContain("my secret prompt text").And.NotContain("Hello.");
    }

    [Fact]
    public async Task Chat_RouterFault_500NamingTheTypeOneRecordAndStackOnDiagnostics()
    {
        var failed = Tokens.TokenCounter.Over(Task.FromException<Microsoft.ML.Tokenizers.Tokenizer>(new InvalidDataException("vocabulary for my secret prompt text")));
        var records = new StringWriter();
        var diagnostics = new StringWriter();
        var handler = Handling.RouterApp.Create(TestConfig.Prod(), _ => null, TimeProvider.System, records, Handling.RouterApp.CreateHttpClient(), failed, diagnostics: diagnostics);
        var proxyEvent = Local.LocalHost.ProxyEvent("POST", "/v1/chat/completions", [], System.Text.Encoding.UTF8.GetBytes(Chat("medium")), "gw-500", TestConfig.SupportClient);

        var response = await handler.HandleAsync(proxyEvent, new Handling.InvocationInfo("l-500", TimeProvider.System.GetUtcNow().AddSeconds(29), null), CancellationToken.None);

        response.StatusCode.Should().Be(500);
        response.Body.Should().Contain("internal error in the router (InvalidDataException)");
        var record = JsonDocument.Parse(records.ToString().Trim()).RootElement;
        record.GetProperty("outcome").GetString().Should().Be("router_error");
        record.GetRawText().Should().NotContain("my secret prompt text");
        diagnostics.ToString().Should().StartWith("router_error gw-500: System.IO.InvalidDataException\n").And.NotContain("my secret prompt text");
    }

    [Fact]
    public async Task Models_Get_ListsAutoAndRoutesWithOneRecord()
    {
        var result = await _router.SendAsync("GET", "/v1/models", []);

        result.Status.Should().Be(200);
        result.Body.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString())
            .Should().Equal("auto", "small", "small-bedrock", "medium", "large");
        result.Record.GetProperty("status").GetInt32().Should().Be(200);
        result.Record.GetProperty("route").GetString().Should().Be("none");
    }
}
