using System.Text;
using System.Text.Json;
using LlmCost.Router.Gateway;
using LlmCost.Router.Handling;
using LlmCost.Router.Local;
using LlmCost.Router.Streaming;
using LlmCost.Router.Tests.Servers;
using static LlmCost.Router.Tests.Servers.ConverseStreamReplies;
using static LlmCost.Router.Tests.Servers.SageMakerStreamReplies;
using SdkStream = Amazon.Runtime.EventStreams;

namespace LlmCost.Router.Tests;

/// <summary>
/// <c>stream: true</c> on a fleet route served by SageMaker: InvokeEndpointWithResponseStream (signed), its AWS
/// event-stream frames decoded as they arrive, the TGI container's server-sent events in their PayloadParts (cut
/// anywhere) forwarded as the router's chunks; the cap held; a stream cut or an exception event after the first text
/// ends the client's stream cleanly, before it the buffered path and the Bedrock fallback serve.
/// </summary>
public sealed class SageMakerStreamingTests
{
    private const string StreamBody = """{"model":"small","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say hi"}]}""";

    private static async Task<(ApiGatewayResponse Response, JsonElement Record)> StreamAsync(RouterHarness router, MemoryResponseStream stream, string body = StreamBody)
    {
        var proxyEvent = LocalHost.ProxyEvent("POST", "/v1/chat/completions", [], Encoding.UTF8.GetBytes(body), "gw-sm", TestConfig.SupportClient);
        var before = router.Records.Count;
        var response = await router.Handler.HandleAsync(proxyEvent, new InvocationInfo("l-sm", TimeProvider.System.GetUtcNow().AddSeconds(29), null, stream), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(20));
        var records = router.Records.Skip(before).ToList();
        records.Should().ContainSingle("one record per request, streamed or not");
        return (response, records[0]);
    }

    private static JsonElement Json(string e) => JsonDocument.Parse(e).RootElement;

    [Fact]
    public void Frame_BuiltFromTheDocumentedFormat_IsByteForByteAwsSdkCoresEncoding()
    {
        var payload = Encoding.UTF8.GetBytes(Chunk("Hi"));
        var headers = new List<SdkStream.IEventStreamHeader>();
        foreach (var (name, value) in new[] { (":event-type", "PayloadPart"), (":content-type", "application/octet-stream"), (":message-type", "event") })
        {
            var header = new SdkStream.EventStreamHeader(name);
            header.SetString(value);
            headers.Add(header);
        }

        Part(payload).Bytes.Should().Equal(new SdkStream.EventStreamMessage(headers, payload).ToByteArray());
        // The catalogue's check value for CRC-32/ISO-HDLC.
        Crc32("123456789"u8).Should().Be(0xCBF43926u);
    }

    [Fact]
    public void SseLineBuffer_PartsCutInsideALineAndACharacter_WholeLinesDecoded()
    {
        var lines = new SseLineBuffer();
        var text = Encoding.UTF8.GetBytes("data: {\"a\":\"h\u00e9\"}\r\n\ndata: [DONE]\n");
        var cut = Array.IndexOf(text, (byte)0xA9); // the second byte of é

        var first = lines.Push(text.AsSpan(0, cut));
        var rest = lines.Push(text.AsSpan(cut));

        first.Should().BeEmpty();
        rest.Should().Equal("data: {\"a\":\"h\u00e9\"}", "", "data: [DONE]");
        lines.Rest().Should().BeNull();
    }

    [Fact]
    public async Task Stream_SageMakerFleet_PayloadPartsForwardedAsTheyComeAndTgisUsagePriced()
    {
        await using var router = await RouterHarness.StartAsync();
        var release = new TaskCompletionSource();
        // The first chunk in two parts cut mid-line; after the hold, the rest in 7-byte parts (through "é" too).
        var first = Chunk("H\u00e9");
        var steps = new List<Step> { Part(first[..20]), Part(first[20..]), new Hold(release) };
        steps.AddRange(Parts(Chunk(" there.") + Chunk("", "stop") + UsageChunk(20, 5) + Done, 7));
        router.Fleet.Default = ResponseStream([.. steps]);
        var stream = new MemoryResponseStream();

        var handling = StreamAsync(router, stream);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!stream.Text.Contains("\"content\":\"H", StringComparison.Ordinal) && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(5);
        }

        stream.Text.Should().Contain("\"content\":\"H\u00e9\"").And.NotContain("there", "SageMaker still holds the rest");
        release.SetResult();
        var (response, record) = await handling;

        response.Should().BeSameAs(ApiGatewayResponse.Streamed);
        var sent = router.Fleet.Received.Single();
        sent.RawTarget.Should().Be("/endpoints/llm-cost-prod-fleet/invocations-response-stream");
        SignatureCheck.Verify(sent, RouterHarness.SecretKey).Should().Be(("sagemaker", "us-east-1", true));
        var body = JsonDocument.Parse(sent.Body).RootElement;
        body.GetProperty("stream").GetBoolean().Should().BeTrue();
        body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean().Should().BeTrue();
        body.GetProperty("max_tokens").GetInt32().Should().Be(1024);
        var events = stream.Events;
        events.Should().HaveCount(6, "role, the first text, the second, finish, usage, [DONE]");
        Json(events[0]).GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString().Should().Be("assistant");
        Json(events[1]).GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString().Should().Be("H\u00e9");
        Json(events[2]).GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString().Should().Be(" there.");
        Json(events[3]).GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("stop");
        Json(events[4]).GetProperty("usage").GetProperty("prompt_tokens").GetInt64().Should().Be(20);
        events[^1].Should().Be("[DONE]");
        // prod's fleet price: ml.inf2.xlarge on SageMaker at 0.99 USD/h (price snapshot) over 2000 tokens/s x 3600 s x 0.7
        // utilisation (stack file) = 5.04M tokens/h -> 0.196429 per 1M; (20 + 5) x 0.196429 = 4.910725 -> 0.000004910725 USD.
        Json(events[4]).GetProperty("llm_cost").GetProperty("cost_usd").GetDecimal().Should().Be(0.000004910725m);
        record.GetProperty("costUsd").GetDecimal().Should().Be(0.000004910725m);
        record.GetProperty("backend").GetString().Should().Be("fleet");
        record.GetProperty("route").GetString().Should().Be("small");
        record.GetProperty("stream").GetString().Should().Be("sse");
        record.GetProperty("streamEnd").GetString().Should().Be("completed");
        record.GetProperty("attempts").GetInt32().Should().Be(1);
        router.Bedrock.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task Stream_ModelStreamErrorAfterTheFirstText_ErrorEventNoDoneNoFallbackAndTheRecordSaysWhy()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Fleet.Default = ResponseStream(Part(Chunk("Hel")), Part(Chunk("lo")), ModelStreamError("StreamBroken", "connection reset while answering: Say hi"));
        var stream = new MemoryResponseStream();

        var (_, record) = await StreamAsync(router, stream);

        var events = stream.Events;
        events.Should().HaveCount(4, "role with the first text, the second, the error; no [DONE] for a broken stream");
        var error = Json(events[^1]).GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("stream_interrupted");
        error.GetProperty("type").GetString().Should().Be("server_error");
        record.GetProperty("status").GetInt32().Should().Be(200, "the 200 went out with the first text");
        record.GetProperty("outcome").GetString().Should().Be("backend_error");
        record.GetProperty("errorCode").GetString().Should().Be("stream_interrupted");
        record.GetProperty("errorMessage").GetString().Should().Contain("ModelStreamError (StreamBroken)");
        record.GetProperty("streamEnd").GetString().Should().Be("stream_interrupted");
        record.GetProperty("backendFailures").EnumerateArray().Select(f => f.GetString()).Should().Equal("small:stream_interrupted");
        record.GetProperty("usageEstimated").GetBoolean().Should().BeTrue();
        // No usage from the fleet: the estimate. Input 8 (3 framing + "Say hi" 2 + 3 for the reply; calibration 1) and
        // "Hel" + "lo" = 2 o200k tokens out, at the fleet's 0.196429 per 1M both ways (0.99 USD/h over 2000 tokens/s x
        // 3600 s x 0.7): 10 x 0.196429 = 1.96429 -> 0.00000196429 USD.
        record.GetProperty("estimatedInputTokens").GetInt64().Should().Be(8);
        record.GetProperty("outputTokens").GetInt64().Should().Be(2);
        record.GetProperty("costUsd").GetDecimal().Should().Be(0.00000196429m);
        stream.Text.Should().NotContain("Say hi", "SageMaker's message may quote the prompt");
        record.GetRawText().Should().NotContain("Say hi");
        router.Bedrock.Received.Should().BeEmpty("nothing is taken back once the first text went out");
    }

    [Fact]
    public async Task Stream_InternalStreamFailureBeforeAnyText_NothingSentAndTheBedrockFallbackServes()
    {
        await using var router = await RouterHarness.StartAsync();
        // The stream fails at once; the buffered InvokeEndpoint fails too (the model's error, not retried): small-bedrock serves.
        router.Fleet.Default = Replies.When("invocations-response-stream",
            ResponseStream(InternalStreamFailure("internal error")),
            Replies.SageMakerError(424, "ModelError", "Received server error (500) from primary"));
        var stream = new MemoryResponseStream();

        var (response, record) = await StreamAsync(router, stream);

        stream.Started.Should().BeFalse("nothing went to the client before the failure");
        response.StatusCode.Should().Be(200);
        response.Body.Should().Contain("\"content\":\"Hello.\"").And.EndWith("data: [DONE]\n\n");
        router.Fleet.Received.Select(r => r.RawTarget).Should().Equal("/endpoints/llm-cost-prod-fleet/invocations-response-stream", "/endpoints/llm-cost-prod-fleet/invocations");
        // support-bot has its own inference profile on every Bedrock route in prod: small-bedrock's is the path.
        router.Bedrock.Received.Should().ContainSingle().Which.RawTarget.Should().Be("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fsupport-bot-small-bedrock/converse");
        record.GetProperty("stream").GetString().Should().Be("sse_whole");
        record.GetProperty("route").GetString().Should().Be("small-bedrock");
        record.GetProperty("fallbackFrom").GetString().Should().Be("small");
        record.GetProperty("backendFailures").EnumerateArray().Select(f => f.GetString()).Should().Equal("small:stream_interrupted", "small:model_error");
        record.GetProperty("attempts").GetInt32().Should().Be(3, "the stream, the buffered fleet call, the fallback");
        // small-bedrock: (12 + 3) x 0.22 per 1M = 3.3 -> 0.0000033 USD.
        record.GetProperty("costUsd").GetDecimal().Should().Be(0.0000033m);
    }

    [Fact]
    public async Task Stream_ConnectionDropsHalfway_ErrorEventAndTheRecordSaysInterrupted()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Fleet.Default = ResponseStream(Part(Chunk("Hel")), Part(Chunk("lo")[..30]), new Drop());
        var stream = new MemoryResponseStream();

        var (_, record) = await StreamAsync(router, stream);

        Json(stream.Events[^1]).GetProperty("error").GetProperty("code").GetString().Should().Be("stream_interrupted");
        stream.Events.Should().NotContain("[DONE]");
        record.GetProperty("streamEnd").GetString().Should().Be("stream_interrupted");
        record.GetProperty("usageEstimated").GetBoolean().Should().BeTrue();
        router.Bedrock.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task Stream_FleetIgnoresTheCap_ForwardingStopsAtCapPlusSlackAndEndsWithLength()
    {
        await using var router = await RouterHarness.StartAsync();
        // max_tokens 1: the fleet is sent max_tokens 1; " word" is one o200k token, so deltas 1-65 (cap 1 + slack 64) go
        // out and the 66th stops the stream.
        router.Fleet.Default = ResponseStream([.. Parts(string.Concat(Enumerable.Repeat(Chunk(" word"), 100)) + Chunk("", "length") + UsageChunk(12, 100) + Done, 4096)]);
        var stream = new MemoryResponseStream();

        var (_, record) = await StreamAsync(router, stream, """{"model":"small","stream":true,"max_tokens":1,"messages":[{"role":"user","content":"Say hi"}]}""");

        var events = stream.Events;
        events.Should().HaveCount(1 + 65 + 2);
        Json(events[^2]).GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("length");
        events[^1].Should().Be("[DONE]");
        record.GetProperty("limitHits").EnumerateArray().Select(h => h.GetString()).Should().Contain("output_cap_stream");
        record.GetProperty("streamEnd").GetString().Should().Be("output_cap");
        record.GetProperty("outputTokens").GetInt64().Should().Be(65);
        JsonDocument.Parse(router.Fleet.Received.Single().Body).RootElement.GetProperty("max_tokens").GetInt32().Should().Be(1);
    }
}
