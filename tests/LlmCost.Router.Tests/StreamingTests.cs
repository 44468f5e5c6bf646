using System.Text;
using System.Text.Json;
using LlmCost.Router.Gateway;
using LlmCost.Router.Handling;
using LlmCost.Router.Local;
using LlmCost.Router.Tests.Servers;
using static LlmCost.Router.Tests.Servers.ConverseStreamReplies;

namespace LlmCost.Router.Tests;

/// <summary>
/// <c>stream: true</c> on a Bedrock route through ConverseStream, against a local server writing real event-stream
/// frames: deltas forwarded as they come, the cap held in the stream, a stream cut halfway, a client that goes away.
/// </summary>
public sealed class StreamingTests : IAsyncLifetime
{
    private const string StreamBody = """{"model":"medium","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say hi"}]}""";
    private RouterHarness _router = null!;

    public async Task InitializeAsync() => _router = await RouterHarness.StartAsync();

    public async Task DisposeAsync() => await _router.DisposeAsync();

    private async Task<(ApiGatewayResponse Response, JsonElement Record)> StreamAsync(MemoryResponseStream stream, string body = StreamBody)
    {
        var proxyEvent = LocalHost.ProxyEvent("POST", "/v1/chat/completions", [], Encoding.UTF8.GetBytes(body), "gw-s1", TestConfig.SupportClient);
        var before = _router.Records.Count;
        var response = await _router.Handler.HandleAsync(proxyEvent, new InvocationInfo("l-s1", TimeProvider.System.GetUtcNow().AddSeconds(29), null, stream), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(20));
        var records = _router.Records.Skip(before).ToList();
        records.Should().ContainSingle("one record per request, streamed or not");
        return (response, records[0]);
    }

    private static JsonElement Json(string e) => JsonDocument.Parse(e).RootElement;

    [Fact]
    public async Task Stream_Deltas_ForwardedInOrderThenFinishUsageDoneAndReportedUsagePriced()
    {
        _router.Bedrock.Default = Stream(MessageStart(), Delta("Hel"), Delta("lo."), BlockStop(), MessageStop(), Metadata(1000, 500, 2000, 100));
        var stream = new MemoryResponseStream();

        var (response, record) = await StreamAsync(stream);

        response.Should().BeSameAs(ApiGatewayResponse.Streamed);
        // support-bot's medium goes through its own inference profile (prod gives it one on every Bedrock route).
        _router.Bedrock.Received.Should().ContainSingle().Which.RawTarget.Should().Be("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fsupport-bot-medium/converse-stream");
        stream.Status.Should().Be(200);
        stream.Headers.Should().Contain(new KeyValuePair<string, string>("Content-Type", "text/event-stream"));
        var events = stream.Events;
        events.Should().HaveCount(6);
        Json(events[0]).GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString().Should().Be("assistant");
        Json(events[1]).GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString().Should().Be("Hel");
        Json(events[2]).GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString().Should().Be("lo.");
        Json(events[3]).GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("stop");
        Json(events[4]).GetProperty("usage").GetProperty("prompt_tokens").GetInt64().Should().Be(3100);
        // nova lite per 1M: 1000 x 0.06 + 500 x 0.24 + 2000 x 0.015 + 100 x 0 = 60 + 120 + 30 = 210 -> 0.00021 USD.
        Json(events[4]).GetProperty("llm_cost").GetProperty("cost_usd").GetDecimal().Should().Be(0.00021m);
        events[^1].Should().Be("[DONE]");
        record.GetProperty("costUsd").GetDecimal().Should().Be(0.00021m);
        record.GetProperty("stream").GetString().Should().Be("sse");
        record.GetProperty("streamEnd").GetString().Should().Be("completed");
        record.GetProperty("clientGone").GetBoolean().Should().BeFalse();
        record.GetProperty("timeToFirstTokenMs").GetInt64().Should().BeGreaterThanOrEqualTo(0);
        record.GetProperty("backendLatencyMs").GetInt64().Should().Be(731);
        record.GetProperty("outputTokens").GetInt64().Should().Be(500);
        record.TryGetProperty("completion", out _).Should().BeFalse("prompts and completions stay out of records unless configured");
    }

    [Fact]
    public async Task Stream_ExceptionFrameAfterDeltas_ErrorEventInOpenAiShapeNoDoneAndRecordSaysWhy()
    {
        _router.Bedrock.Default = Stream(MessageStart(), Delta("Hel"), Exception("throttlingException", "Too many tokens, prompt was: Say hi"));
        var stream = new MemoryResponseStream();

        var (_, record) = await StreamAsync(stream);

        var events = stream.Events;
        events.Should().HaveCount(3, "role, the one delta, the error; no [DONE] for a broken stream");
        Json(events[1]).GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString().Should().Be("Hel");
        var error = Json(events[2]).GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("stream_interrupted");
        error.GetProperty("type").GetString().Should().Be("server_error");
        stream.Text.Should().NotContain("Say hi", "the backend's text may quote the prompt");
        record.GetProperty("outcome").GetString().Should().Be("backend_error");
        record.GetProperty("errorCode").GetString().Should().Be("stream_interrupted");
        record.GetProperty("streamEnd").GetString().Should().Be("stream_interrupted");
        record.GetProperty("backendFailures").EnumerateArray().Select(f => f.GetString()).Should().Equal("medium:stream_interrupted");
        record.GetProperty("usageEstimated").GetBoolean().Should().BeTrue();
        record.GetProperty("clientGone").GetBoolean().Should().BeFalse();
        record.GetRawText().Should().NotContain("Say hi");
        _router.Bedrock.Received.Should().ContainSingle("no fallback once bytes were sent");
    }

    [Fact]
    public async Task Stream_ConnectionDropsHalfway_ErrorEventAndRecordSaysInterrupted()
    {
        _router.Bedrock.Default = Stream(MessageStart(), Delta("Hel"), new Drop());
        var stream = new MemoryResponseStream();

        var (_, record) = await StreamAsync(stream);

        Json(stream.Events[^1]).GetProperty("error").GetProperty("code").GetString().Should().Be("stream_interrupted");
        stream.Events.Should().NotContain("[DONE]");
        record.GetProperty("streamEnd").GetString().Should().Be("stream_interrupted");
        record.GetProperty("status").GetInt32().Should().Be(200, "the 200 and its headers were already sent");
    }

    [Fact]
    public async Task Stream_BackendRefusesBeforeTheFirstByte_BufferedPathRetriesAndAnswers()
    {
        _router.Bedrock.Default = Replies.When("converse-stream", Replies.AwsError(503, "ServiceUnavailableException", "busy"), Replies.ConverseOk("Hello.", 12, 3));
        var stream = new MemoryResponseStream();

        var (response, record) = await StreamAsync(stream);

        stream.Started.Should().BeFalse("nothing was sent, so the buffered path could still serve");
        response.StatusCode.Should().Be(200);
        response.Body.Should().Contain("\"content\":\"Hello.\"").And.EndWith("data: [DONE]\n\n");
        record.GetProperty("stream").GetString().Should().Be("sse_whole");
        record.GetProperty("backendFailures").EnumerateArray().Select(f => f.GetString()).Should().Equal("medium:server_error");
    }

    [Fact]
    public async Task Stream_ExceptionFrameBeforeAnyText_NothingSentAndTheBufferedPathServes()
    {
        // Nothing goes to the client before the first text, so a stream that fails first is retried as a whole answer.
        _router.Bedrock.Default = Replies.When("converse-stream",
            Stream(MessageStart(), Exception("modelStreamErrorException", "the model failed on: Say hi")),
            Replies.ConverseOk("Hello.", 12, 3));
        var stream = new MemoryResponseStream();

        var (response, record) = await StreamAsync(stream);

        stream.Started.Should().BeFalse();
        response.StatusCode.Should().Be(200);
        response.Body.Should().Contain("\"content\":\"Hello.\"").And.EndWith("data: [DONE]\n\n");
        _router.Bedrock.Received.Select(r => r.RawTarget).Should().Equal(
            "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fsupport-bot-medium/converse-stream",
            "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fsupport-bot-medium/converse");
        record.GetProperty("stream").GetString().Should().Be("sse_whole");
        record.GetProperty("route").GetString().Should().Be("medium");
        record.GetProperty("backendFailures").EnumerateArray().Select(f => f.GetString()).Should().Equal("medium:stream_interrupted");
        record.GetProperty("attempts").GetInt32().Should().Be(2);
        record.GetRawText().Should().NotContain("Say hi");
    }

    [Fact]
    public async Task Stream_ClientGoesAway_BackendConnectionClosedAndRecordSaysSo()
    {
        var release = new TaskCompletionSource();
        var aborted = new TaskCompletionSource();
        _router.Bedrock.Default = Stream(MessageStart(), Delta("Hel"), Delta("lo"), new Hold(release, aborted), Delta(" never sent"), MessageStop(), Metadata(10, 3));
        var stream = new MemoryResponseStream(goneAtWrite: 2);

        var (_, record) = await StreamAsync(stream);

        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(5));
        stream.Events.Should().HaveCount(2, "role and the first delta got out in the first write; the second write failed");
        record.GetProperty("clientGone").GetBoolean().Should().BeTrue();
        record.GetProperty("streamEnd").GetString().Should().Be("client_gone");
        record.GetProperty("outcome").GetString().Should().Be("client_gone");
    }

    [Fact]
    public async Task Stream_BackendIgnoresTheCap_ForwardingStopsAtCapPlusSlackAndEndsWithLength()
    {
        // max_tokens 1: Bedrock is sent maxTokens 1; " word" is one o200k token, so deltas 1-65 (cap 1 + slack 64) go
        // out and the 66th stops the stream.
        var steps = new List<Step> { MessageStart() };
        steps.AddRange(Enumerable.Range(0, 100).Select(_ => (Step)Delta(" word")));
        steps.AddRange([MessageStop(), Metadata(10, 100)]);
        _router.Bedrock.Default = Stream([.. steps]);
        var stream = new MemoryResponseStream();

        var (_, record) = await StreamAsync(stream, """{"model":"medium","stream":true,"max_tokens":1,"messages":[{"role":"user","content":"Say hi"}]}""");

        var events = stream.Events;
        events.Should().HaveCount(1 + 65 + 2);
        Json(events[^2]).GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("length");
        events[^1].Should().Be("[DONE]");
        record.GetProperty("limitHits").EnumerateArray().Select(h => h.GetString()).Should().Contain("output_cap_stream");
        record.GetProperty("streamEnd").GetString().Should().Be("output_cap");
        record.GetProperty("outputTokens").GetInt64().Should().Be(65);
        record.GetProperty("estimatedInputTokens").GetInt64().Should().Be(8);
        record.GetProperty("usageEstimated").GetBoolean().Should().BeTrue();
        // No usage from the backend: the estimate. nova lite per 1M: 8 x 0.06 + 65 x 0.24 = 0.48 + 15.6 = 16.08 -> 0.00001608 USD.
        record.GetProperty("costUsd").GetDecimal().Should().Be(0.00001608m);
    }
}
