using System.Text;
using System.Text.Json;
using LlmCost.Router.Cli;
using LlmCost.Router.Handling;
using LlmCost.Router.Runtime;
using LlmCost.Router.Tests.Servers;
using static LlmCost.Router.Tests.Servers.ConverseStreamReplies;

namespace LlmCost.Router.Tests;

/// <summary>
/// A streamed answer through the Lambda path: the runtime loop posts a streamed response to a local Runtime API
/// (chunked, <c>Lambda-Runtime-Function-Response-Mode: streaming</c>) in API Gateway's format for streamed Lambda proxy
/// answers: JSON prelude, 8 NUL bytes, then the server-sent events as Bedrock's ConverseStream delivers them.
/// </summary>
public sealed class StreamingLambdaTests : IAsyncLifetime
{
    private const string Body = """{"model":"medium","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say hi"}]}""";
    private RuntimeApiServer _runtime = null!;
    private ScriptedBackend _bedrock = null!;
    private readonly StringWriter _records = new();

    public async Task InitializeAsync()
    {
        _runtime = await RuntimeApiServer.StartAsync();
        _bedrock = await ScriptedBackend.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        await _bedrock.DisposeAsync();
    }

    private Task<int> RunAsync()
    {
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL"] = _bedrock.BaseUri.ToString(),
            ["AWS_ACCESS_KEY_ID"] = RouterHarness.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = RouterHarness.SecretKey,
        };
        var router = RouterApp.Create(TestConfig.Prod(), name => environment.GetValueOrDefault(name), TimeProvider.System, _records, RouterApp.CreateHttpClient(), RouterHarness.Counter);
        var client = new RuntimeApiClient(RuntimeApiClient.CreateHttpClient(), _runtime.HostAndPort);
        var bootstrap = new LambdaBootstrap(client, TimeProvider.System, (_, _) => { }, TextWriter.Null);
        return bootstrap.RunAsync(_ => Task.FromResult(RouterProgram.Handler(router, streaming: true)), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    private void Enqueue(string id) =>
        _runtime.Enqueue(new QueuedInvocation(id, Local.LocalHost.ProxyEvent("POST", "/v1/chat/completions", [], Encoding.UTF8.GetBytes(Body), "gw-" + id, TestConfig.SupportClient), TimeProvider.System.GetUtcNow().AddSeconds(60))).ThenClose();

    /// <summary>The prelude and the body, split at the 8 NUL bytes.</summary>
    private static (JsonElement Prelude, string Body) Split(byte[] bytes)
    {
        var at = bytes.AsSpan().IndexOf(new byte[8]);
        at.Should().BeGreaterThan(0, "the prelude ends at 8 NUL bytes");
        return (JsonDocument.Parse(bytes.AsMemory(0, at)).RootElement, Encoding.UTF8.GetString(bytes, at + 8, bytes.Length - at - 8));
    }

    [Fact]
    public async Task Run_StreamTrue_FirstChunkReachesTheRuntimeApiBeforeTheBackendFinishesThenUsageDoneAndOneHandComputedRecord()
    {
        var release = new TaskCompletionSource();
        _bedrock.Default = Stream(MessageStart(), Delta("Hel"), new Hold(release), Delta("lo."), BlockStop(), MessageStop(), Metadata(1000, 500, 2000, 100));
        Enqueue("lambda-s1");

        var run = RunAsync();
        while (!_runtime.Streamed.ContainsKey("lambda-s1"))
        {
            run.IsCompleted.Should().BeFalse();
            await Task.Delay(5);
        }

        var streamed = _runtime.Streamed["lambda-s1"];
        await streamed.WaitForAsync("\"content\":\"Hel\"", TimeSpan.FromSeconds(10));
        // The backend still holds the rest: the first delta went out on its own.
        streamed.Text.Should().NotContain("lo.").And.NotContain("[DONE]");
        release.SetResult();
        await run;

        streamed.Request.Headers["Lambda-Runtime-Function-Response-Mode"].Should().Be("streaming");
        streamed.Request.Headers["Transfer-Encoding"].Should().Be("chunked");
        streamed.Request.Headers["Content-Type"].Should().Be("application/vnd.awslambda.http-integration-response");
        streamed.Pieces.Should().BeGreaterThan(1);
        _runtime.Responses.Should().BeEmpty("a streamed invocation posts no buffered response");
        var (prelude, body) = Split(streamed.Bytes);
        prelude.GetProperty("statusCode").GetInt32().Should().Be(200);
        prelude.GetProperty("headers").GetProperty("Content-Type").GetString().Should().Be("text/event-stream");
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        events.Should().OnlyContain(e => e.StartsWith("data: ", StringComparison.Ordinal));
        events.Should().HaveCount(6);
        events[^1].Should().Be("data: [DONE]");
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        chunks.Should().OnlyContain(c => c.GetProperty("object").GetString() == "chat.completion.chunk" && c.GetProperty("id").GetString() == "chatcmpl-gw-lambda-s1");
        string.Concat(chunks.Select(c => c.GetProperty("choices").EnumerateArray().Select(x => x.GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : "").FirstOrDefault())).Should().Be("Hello.");
        chunks[3].GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("stop");
        var usage = chunks[4].GetProperty("usage");
        chunks[4].GetProperty("choices").GetArrayLength().Should().Be(0);
        // prompt = 1000 + 2000 cache reads + 100 cache writes = 3100; total = 3100 + 500 = 3600.
        usage.GetProperty("prompt_tokens").GetInt64().Should().Be(3100);
        usage.GetProperty("completion_tokens").GetInt64().Should().Be(500);
        usage.GetProperty("total_tokens").GetInt64().Should().Be(3600);
        // nova lite per 1M tokens: input 0.06, output 0.24, cache read 0.015, cache write 0:
        // 1000 x 0.06 + 500 x 0.24 + 2000 x 0.015 + 100 x 0 = 60 + 120 + 30 + 0 = 210 per 1M -> 0.00021 USD.
        chunks[4].GetProperty("llm_cost").GetProperty("cost_usd").GetDecimal().Should().Be(0.00021m);
        var record = JsonDocument.Parse(_records.ToString().Trim()).RootElement;
        record.GetProperty("costUsd").GetDecimal().Should().Be(0.00021m);
        record.GetProperty("requestId").GetString().Should().Be("gw-lambda-s1");
        record.GetProperty("stream").GetString().Should().Be("sse");
        record.GetProperty("streamEnd").GetString().Should().Be("completed");
        record.GetProperty("clientGone").GetBoolean().Should().BeFalse();
        record.GetProperty("timeToFirstTokenMs").GetInt64().Should().BeLessThan(record.GetProperty("latencyMs").GetInt64() + 1);
    }

    [Fact]
    public async Task Run_RuntimeApiDropsTheStream_BackendCallStoppedAndRecordSaysClientGone()
    {
        var release = new TaskCompletionSource();
        var aborted = new TaskCompletionSource();
        _bedrock.Default = Stream(MessageStart(), Delta("Hel"), new Hold(release), Delta("lo."), new Hold(new TaskCompletionSource(), aborted), MessageStop(), Metadata(10, 3));
        Enqueue("lambda-s2");

        var run = RunAsync();
        while (!_runtime.Streamed.ContainsKey("lambda-s2"))
        {
            await Task.Delay(5);
        }

        var streamed = _runtime.Streamed["lambda-s2"];
        await streamed.WaitForAsync("\"content\":\"Hel\"", TimeSpan.FromSeconds(10));
        // The client goes away: the Runtime API drops the response's connection.
        streamed.Cut();
        await streamed.Ended.WaitAsync(TimeSpan.FromSeconds(10));
        release.SetResult();

        // The next delta's write to the Runtime API fails: the router closes the backend's connection while it holds.
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        (await run).Should().Be(2, "the loop went on to next, which the closed queue answers with 500");
        _runtime.NextCalls.Should().Be(2);
        var record = JsonDocument.Parse(_records.ToString().Trim()).RootElement;
        record.GetProperty("clientGone").GetBoolean().Should().BeTrue();
        record.GetProperty("streamEnd").GetString().Should().Be("client_gone");
    }
}
