using System.Text;
using System.Text.Json;
using LlmCost.Router.Gateway;
using LlmCost.Router.Handling;
using LlmCost.Router.Local;
using LlmCost.Router.Tests.Servers;
using Microsoft.AspNetCore.Http;

namespace LlmCost.Router.Tests;

/// <summary>
/// <c>stream: true</c> on a fleet route whose fleet is an ECS service's OpenAI-compatible API: its server-sent events
/// read as they arrive and forwarded as the router's chunks, its usage chunk priced.
/// </summary>
public sealed class FleetStreamingTests
{
    /// <summary>An OpenAI-compatible streamed answer: each line flushed on its own, optionally holding after the first delta.</summary>
    private static Reply Sse(TaskCompletionSource? holdAfterFirst, params string[] data) => async (_, context) =>
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync();
        for (var i = 0; i < data.Length; i++)
        {
            await context.Response.WriteAsync($"data: {data[i]}\n\n");
            await context.Response.Body.FlushAsync();
            if (i == 1 && holdAfterFirst is not null)
            {
                await holdAfterFirst.Task;
            }
        }
    };

    private static string Chunk(string delta, string? finish = null) =>
        $$$"""{"id":"c1","object":"chat.completion.chunk","created":1767225600,"model":"llama-3.1-8b-instruct","choices":[{"index":0,"delta":{"content":{{{JsonSerializer.Serialize(delta)}}}},"finish_reason":{{{(finish is null ? "null" : $"\"{finish}\"")}}}}]}""";

    [Fact]
    public async Task Stream_EcsFleet_DeltasForwardedAsTheyComeAndItsUsagePriced()
    {
        await using var router = await RouterHarness.StartAsync(fleetIsEcs: true);
        var release = new TaskCompletionSource();
        router.Fleet.Default = Sse(release,
            """{"id":"c1","object":"chat.completion.chunk","created":1767225600,"model":"llama-3.1-8b-instruct","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""",
            Chunk("Hi"),
            Chunk(" there."),
            Chunk("", "stop"),
            """{"id":"c1","object":"chat.completion.chunk","created":1767225600,"model":"llama-3.1-8b-instruct","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25}}""",
            "[DONE]");
        var stream = new MemoryResponseStream();
        var proxyEvent = LocalHost.ProxyEvent("POST", "/v1/chat/completions", [],
            """{"model":"small","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say hi"}]}"""u8.ToArray(), "gw-f1", TestConfig.SupportClient);

        var handling = router.Handler.HandleAsync(proxyEvent, new InvocationInfo("l-f1", TimeProvider.System.GetUtcNow().AddSeconds(29), null, stream), CancellationToken.None);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!stream.Text.Contains("\"content\":\"Hi\"", StringComparison.Ordinal) && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(5);
        }

        stream.Text.Should().Contain("\"content\":\"Hi\"").And.NotContain("there", "the fleet still holds the rest");
        release.SetResult();
        var response = await handling.WaitAsync(TimeSpan.FromSeconds(10));

        response.Should().BeSameAs(ApiGatewayResponse.Streamed);
        var sent = JsonDocument.Parse(router.Fleet.Received.Single().Body).RootElement;
        sent.GetProperty("stream").GetBoolean().Should().BeTrue();
        sent.GetProperty("stream_options").GetProperty("include_usage").GetBoolean().Should().BeTrue();
        var events = stream.Events;
        events[^1].Should().Be("[DONE]");
        JsonDocument.Parse(events[^3]).RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("stop");
        var record = router.Records.Should().ContainSingle().Subject;
        record.GetProperty("backend").GetString().Should().Be("fleet");
        record.GetProperty("stream").GetString().Should().Be("sse");
        record.GetProperty("streamEnd").GetString().Should().Be("completed");
        // The route's table price (prod's SageMaker fleet: ml.inf2.xlarge at 0.99 USD/h in the price snapshot over 2000
        // tokens/s x 3600 s x 0.7 = 5.04M tokens/h -> 0.196429 per 1M): (20 + 5) x 0.196429 = 4.910725 -> 0.000004910725 USD.
        record.GetProperty("costUsd").GetDecimal().Should().Be(0.000004910725m);
        JsonDocument.Parse(events[^2]).RootElement.GetProperty("llm_cost").GetProperty("cost_usd").GetDecimal().Should().Be(0.000004910725m);
    }
}
