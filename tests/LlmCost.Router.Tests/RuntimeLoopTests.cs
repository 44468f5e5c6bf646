using System.Text;
using System.Text.Json;
using LlmCost.Router.Cli;
using LlmCost.Router.Handling;
using LlmCost.Router.Runtime;
using LlmCost.Router.Tests.Servers;

namespace LlmCost.Router.Tests;

/// <summary>The runtime loop against a local server speaking the Lambda Runtime API.</summary>
public sealed class RuntimeLoopTests : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _environment = [];
    private readonly StringWriter _log = new();
    private RuntimeApiServer _runtime = null!;

    public async Task InitializeAsync() => _runtime = await RuntimeApiServer.StartAsync();

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    private static DateTimeOffset In(TimeSpan span) => TimeProvider.System.GetUtcNow() + span;

    private Task<int> RunAsync(Func<CancellationToken, Task<InvocationHandler>> init)
    {
        var client = new RuntimeApiClient(RuntimeApiClient.CreateHttpClient(), _runtime.HostAndPort);
        var bootstrap = new LambdaBootstrap(client, TimeProvider.System, (name, value) => _environment[name] = value, _log);
        return bootstrap.RunAsync(init, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
    }

    private static Func<CancellationToken, Task<InvocationHandler>> Init(InvocationHandler handler) => _ => Task.FromResult(handler);

    [Fact]
    public async Task Run_Invocations_ResponsesPostedTraceSetAndExitOnRuntimeApi500()
    {
        _runtime.Enqueue(
            new QueuedInvocation("id-1", "\"one\""u8.ToArray(), In(TimeSpan.FromSeconds(30)), "Root=1-a;Sampled=1"),
            new QueuedInvocation("id-2", "\"two\""u8.ToArray(), In(TimeSpan.FromSeconds(30)), "Root=1-b;Sampled=0")).ThenClose();
        var traces = new List<string?>();

        var exit = await RunAsync(Init((invocation, _) =>
        {
            traces.Add(_environment[LambdaBootstrap.TraceVariable]);
            invocation.InvokedFunctionArn.Should().Be(RuntimeApiServer.FunctionArn);
            return Task.FromResult(Encoding.UTF8.GetBytes($"{{\"echo\":{Encoding.UTF8.GetString(invocation.Payload)}}}"));
        }));

        exit.Should().Be(2, "a 500 from the Runtime API means exit");
        _runtime.Responses["id-1"].BodyText.Should().Be("{\"echo\":\"one\"}");
        _runtime.Responses["id-2"].BodyText.Should().Be("{\"echo\":\"two\"}");
        traces.Should().Equal("Root=1-a;Sampled=1", "Root=1-b;Sampled=0");
        _runtime.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_HandlerThrows_InvocationErrorPostedAndLoopContinues()
    {
        _runtime.Enqueue(
            new QueuedInvocation("bad", "{}"u8.ToArray(), In(TimeSpan.FromSeconds(30))),
            new QueuedInvocation("good", "{}"u8.ToArray(), In(TimeSpan.FromSeconds(30)))).ThenClose();

        await RunAsync(Init((invocation, _) => invocation.RequestId == "bad"
            ? throw new InvalidOperationException("boom")
            : Task.FromResult("{}"u8.ToArray())));

        var error = _runtime.Errors["bad"];
        error.Headers["Lambda-Runtime-Function-Error-Type"].Should().Be("InvalidOperationException");
        error.Headers["Content-Type"].Should().Be(RuntimeApiClient.ErrorContentType);
        var body = JsonDocument.Parse(error.Body).RootElement;
        body.GetProperty("errorType").GetString().Should().Be("InvalidOperationException");
        body.GetProperty("errorMessage").GetString().Should().Be("boom");
        body.GetProperty("stackTrace").GetArrayLength().Should().BeGreaterThan(0);
        _runtime.Responses.Keys.Should().Equal("good");
    }

    [Fact]
    public async Task Run_InitFails_InitErrorPostedExit1AndNoPoll()
    {
        var exit = await RunAsync(_ => throw new InvalidOperationException("LLM_COST_ROUTER_CONFIG is not set"));

        exit.Should().Be(1);
        var error = _runtime.InitErrors.Should().ContainSingle().Subject;
        error.Headers["Lambda-Runtime-Function-Error-Type"].Should().Be("InvalidOperationException");
        JsonDocument.Parse(error.Body).RootElement.GetProperty("errorMessage").GetString().Should().Be("LLM_COST_ROUTER_CONFIG is not set");
        _runtime.NextCalls.Should().Be(0);
    }

    [Fact]
    public async Task Run_HandlerOutlivesDeadline_CancelledAtTheDeadlineAndErrorPosted()
    {
        var deadline = In(TimeSpan.FromMilliseconds(400));
        _runtime.Enqueue(new QueuedInvocation("slow", "{}"u8.ToArray(), deadline)).ThenClose();
        DateTimeOffset? seenDeadline = null;
        DateTimeOffset? cancelledAt = null;

        await RunAsync(Init(async (invocation, cancellationToken) =>
        {
            seenDeadline = invocation.Deadline;
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                cancelledAt = TimeProvider.System.GetUtcNow();
            }

            return [];
        }));

        seenDeadline!.Value.ToUnixTimeMilliseconds().Should().Be(deadline.ToUnixTimeMilliseconds());
        cancelledAt.Should().NotBeNull().And.BeOnOrAfter(deadline.AddMilliseconds(-20));
        JsonDocument.Parse(_runtime.Errors["slow"].Body).RootElement.GetProperty("errorType").GetString().Should().Be("TaskCanceledException");
    }

    [Fact]
    public async Task Run_DeadlineFarInTheFuture_ClampedNotCrashed()
    {
        _runtime.Enqueue(new QueuedInvocation("far", "{}"u8.ToArray(), DateTimeOffset.FromUnixTimeMilliseconds(0) + TimeSpan.FromDays(30_000))).ThenClose();

        var exit = await RunAsync(Init((_, _) => Task.FromResult("{}"u8.ToArray())));

        exit.Should().Be(2);
        _runtime.Responses.Keys.Should().Equal("far");
    }

    [Fact]
    public async Task Run_RouterHandler_ProxyResponseWithCostHeadersAndOneRecord()
    {
        await using var bedrock = await ScriptedBackend.StartAsync();
        bedrock.Default = Replies.ConverseOk("Hello.", input: 1000, output: 500, cacheRead: 2000, cacheWrite: 100);
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL"] = bedrock.BaseUri.ToString(),
            ["AWS_ACCESS_KEY_ID"] = RouterHarness.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = RouterHarness.SecretKey,
        };
        var records = new StringWriter();
        var router = RouterApp.Create(TestConfig.Prod(), name => environment.GetValueOrDefault(name), TimeProvider.System, records, RouterApp.CreateHttpClient(), RouterHarness.Counter);
        var proxyEvent = Local.LocalHost.ProxyEvent("POST", "/v1/chat/completions", [], """{"model":"medium","messages":[{"role":"user","content":"Say hi"}]}"""u8.ToArray(), "gw-req-7", TestConfig.SupportClient);
        _runtime.Enqueue(new QueuedInvocation("lambda-7", proxyEvent, In(TimeSpan.FromSeconds(29)))).ThenClose();

        await RunAsync(Init(RouterProgram.Handler(router)));

        var response = JsonDocument.Parse(_runtime.Responses["lambda-7"].Body).RootElement;
        response.GetProperty("statusCode").GetInt32().Should().Be(200);
        response.GetProperty("headers").GetProperty("x-llm-cost-usd").GetString().Should().Be("0.00021");
        response.GetProperty("headers").GetProperty("x-llm-cost-route").GetString().Should().Be("medium");
        response.GetProperty("isBase64Encoded").GetBoolean().Should().BeFalse();
        var completion = JsonDocument.Parse(response.GetProperty("body").GetString()!).RootElement;
        completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32().Should().Be(500);
        var record = JsonDocument.Parse(records.ToString().Trim()).RootElement;
        record.GetProperty("requestId").GetString().Should().Be("gw-req-7");
        record.GetProperty("lambdaRequestId").GetString().Should().Be("lambda-7");
        record.GetProperty("traceId").GetString().Should().StartWith("Root=1-5759e988");
        // support-bot's medium goes through its own inference profile (prod gives it one on every Bedrock route).
        bedrock.Received.Single().RawTarget.Should().Be("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fsupport-bot-medium/converse", "AWS_ENDPOINT_URL applies when no service-specific override is set");
    }

    [Fact]
    public async Task Run_StreamTrue_ServerSentEventsEndingInUsageAndDoneAndOneHandComputedRecord()
    {
        await using var bedrock = await ScriptedBackend.StartAsync();
        bedrock.Default = Replies.ConverseOk("Hello.", input: 1000, output: 500, cacheRead: 2000, cacheWrite: 100);
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL"] = bedrock.BaseUri.ToString(),
            ["AWS_ACCESS_KEY_ID"] = RouterHarness.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = RouterHarness.SecretKey,
        };
        var records = new StringWriter();
        var router = RouterApp.Create(TestConfig.Prod(), name => environment.GetValueOrDefault(name), TimeProvider.System, records, RouterApp.CreateHttpClient(), RouterHarness.Counter);
        var body = """{"model":"medium","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say hi"}]}"""u8.ToArray();
        _runtime.Enqueue(new QueuedInvocation("lambda-8", Local.LocalHost.ProxyEvent("POST", "/v1/chat/completions", [], body, "gw-req-8", TestConfig.SupportClient), In(TimeSpan.FromSeconds(29)))).ThenClose();

        await RunAsync(Init(RouterProgram.Handler(router)));

        var response = JsonDocument.Parse(_runtime.Responses["lambda-8"].Body).RootElement;
        response.GetProperty("statusCode").GetInt32().Should().Be(200);
        response.GetProperty("headers").GetProperty("Content-Type").GetString().Should().Be("text/event-stream");
        var events = response.GetProperty("body").GetString()!.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        events.Should().OnlyContain(e => e.StartsWith("data: ", StringComparison.Ordinal));
        events[^1].Should().Be("data: [DONE]");
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        chunks.Should().HaveCount(4);
        chunks.Should().OnlyContain(c => c.GetProperty("object").GetString() == "chat.completion.chunk" && c.GetProperty("id").GetString() == "chatcmpl-gw-req-8");
        chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString().Should().Be("assistant");
        chunks[1].GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString().Should().Be("Hello.");
        chunks[2].GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("stop");
        var usage = chunks[3].GetProperty("usage");
        chunks[3].GetProperty("choices").GetArrayLength().Should().Be(0);
        // prompt = 1000 + 2000 cache reads + 100 cache writes; nova lite: 1000 x 0.06 + 500 x 0.24 + 2000 x 0.015 + 100 x 0 = 210 per 1M.
        usage.GetProperty("prompt_tokens").GetInt64().Should().Be(3100);
        usage.GetProperty("completion_tokens").GetInt64().Should().Be(500);
        usage.GetProperty("total_tokens").GetInt64().Should().Be(3600);
        chunks[3].GetProperty("llm_cost").GetProperty("cost_usd").GetDecimal().Should().Be(0.00021m);
        var record = JsonDocument.Parse(records.ToString().Trim()).RootElement;
        record.GetProperty("costUsd").GetDecimal().Should().Be(0.00021m);
        record.GetProperty("stream").GetString().Should().Be("sse_whole");
    }
}
