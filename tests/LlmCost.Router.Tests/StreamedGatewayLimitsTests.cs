using System.Diagnostics;
using System.Text;
using LlmCost.Router.Cli;
using LlmCost.Router.Handling;
using LlmCost.Router.Local;
using LlmCost.Router.Runtime;
using LlmCost.Router.Tests.Servers;

namespace LlmCost.Router.Tests;

/// <summary>
/// Behind the streaming gateway (responseTransferMode STREAM) a Regional endpoint's stream ends after 5 minutes
/// without a byte (API Gateway, "Stream the integration response for your proxy integrations"): an answer the router
/// sends whole must be ready within that, however long the Lambda may run.
/// </summary>
public sealed class StreamedGatewayLimitsTests
{
    [Fact]
    public void InvocationFor_StreamingGateway_WholeAnswersWithinTheIdleTimeoutLessFiveSeconds()
    {
        var now = new DateTimeOffset(2026, 11, 28, 15, 20, 0, TimeSpan.Zero);
        var invocation = new Invocation("l-1", now.AddSeconds(899), null, null, []);
        var stream = new MemoryResponseStream();

        var streamed = RouterProgram.InvocationFor(invocation, stream, now);
        var buffered = RouterProgram.InvocationFor(invocation, null, now);

        // 300 s idle timeout (Regional endpoint) - 5 s for a cold start's init and the way back = 295 s.
        streamed.WholeAnswerBy.Should().Be(now.AddSeconds(295));
        streamed.WholeAnswerDeadline.Should().Be(now.AddSeconds(295));
        streamed.Deadline.Should().Be(now.AddSeconds(899), "a streamed answer may run to the Lambda's deadline");
        buffered.WholeAnswerBy.Should().BeNull();
        buffered.WholeAnswerDeadline.Should().Be(now.AddSeconds(899));
    }

    [Fact]
    public async Task WholeAnswer_BackendSlowerThanTheIdleAllowance_Is504BeforeTheGatewayWouldCutIt()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Bedrock.Default = Replies.Hang(TimeSpan.FromSeconds(20), Replies.ConverseOk("too late", 12, 3));
        var proxyEvent = LocalHost.ProxyEvent("POST", "/v1/chat/completions", [],
            Encoding.UTF8.GetBytes("""{"model":"medium","messages":[{"role":"user","content":"Say hi"}]}"""), "gw-idle", TestConfig.SupportClient);
        var now = TimeProvider.System.GetUtcNow();
        var took = Stopwatch.StartNew();

        var response = await router.Handler.HandleAsync(proxyEvent, new InvocationInfo("l-idle", now.AddSeconds(60), null, new MemoryResponseStream(), now.AddSeconds(1.5)), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(15));

        took.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the whole answer's deadline, not the Lambda's 60 s, bounds the wait");
        response.StatusCode.Should().Be(504);
        response.Body.Should().Contain("backend_timeout");
        var record = router.Records.Should().ContainSingle().Subject;
        record.GetProperty("outcome").GetString().Should().Be("timeout");
        record.GetProperty("backendFailures").EnumerateArray().Select(f => f.GetString()).Should().Contain("medium:timeout");
    }

    [Fact]
    public async Task Stream_NoTextBeforeTheIdleAllowance_NothingSentBackendStoppedAnd504()
    {
        await using var router = await RouterHarness.StartAsync();
        var release = new TaskCompletionSource();
        var aborted = new TaskCompletionSource();
        router.Bedrock.Default = ConverseStreamReplies.Stream(ConverseStreamReplies.MessageStart(), new ConverseStreamReplies.Hold(release, aborted), ConverseStreamReplies.Delta("late"));
        var proxyEvent = LocalHost.ProxyEvent("POST", "/v1/chat/completions", [],
            Encoding.UTF8.GetBytes("""{"model":"medium","stream":true,"messages":[{"role":"user","content":"Say hi"}]}"""), "gw-ttft", TestConfig.SupportClient);
        var stream = new MemoryResponseStream();
        var now = TimeProvider.System.GetUtcNow();

        var response = await router.Handler.HandleAsync(proxyEvent, new InvocationInfo("l-ttft", now.AddSeconds(60), null, stream, now.AddSeconds(1.5)), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(15));
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(5));
        release.SetResult();

        stream.Started.Should().BeFalse("no text came, so nothing was sent");
        response.StatusCode.Should().Be(504);
        var record = router.Records.Should().ContainSingle().Subject;
        record.GetProperty("outcome").GetString().Should().Be("timeout");
        record.GetProperty("backendFailures").EnumerateArray().Select(f => f.GetString()).Should().StartWith("medium:timeout");
    }

    [Fact]
    public async Task Stream_SilentAfterTheFirstTextForTheIdleAllowance_BackendStoppedStreamEndedAndRecorded()
    {
        // The gateway has closed a stream silent this long; Lambda would bill the invocation on to its deadline.
        await using var router = await RouterHarness.StartAsync();
        var release = new TaskCompletionSource();
        var aborted = new TaskCompletionSource();
        router.Bedrock.Default = ConverseStreamReplies.Stream(ConverseStreamReplies.MessageStart(), ConverseStreamReplies.Delta("Hel"),
            new ConverseStreamReplies.Hold(release, aborted), ConverseStreamReplies.Delta("lo."));
        var proxyEvent = LocalHost.ProxyEvent("POST", "/v1/chat/completions", [],
            Encoding.UTF8.GetBytes("""{"model":"medium","stream":true,"messages":[{"role":"user","content":"Say hi"}]}"""), "gw-silent", TestConfig.SupportClient);
        var stream = new MemoryResponseStream();
        var now = TimeProvider.System.GetUtcNow();
        var took = Stopwatch.StartNew();

        await router.Handler.HandleAsync(proxyEvent, new InvocationInfo("l-silent", now.AddSeconds(60), null, stream, now.AddSeconds(1.5)), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(15));
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(5));
        release.SetResult();

        took.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        stream.Text.Should().Contain("\"content\":\"Hel\"").And.Contain("stream_interrupted").And.NotContain("[DONE]");
        var record = router.Records.Should().ContainSingle().Subject;
        record.GetProperty("streamEnd").GetString().Should().Be("timeout");
        record.GetProperty("outcome").GetString().Should().Be("timeout");
        record.GetProperty("errorCode").GetString().Should().Be("stream_interrupted");
        record.GetProperty("usageEstimated").GetBoolean().Should().BeTrue();
    }
}
