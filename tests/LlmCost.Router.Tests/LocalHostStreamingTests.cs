using System.Net;
using System.Net.Sockets;
using System.Text;
using LlmCost.Router.Local;
using LlmCost.Router.Tests.Servers;
using static LlmCost.Router.Tests.Servers.ConverseStreamReplies;

namespace LlmCost.Router.Tests;

/// <summary>
/// `serve` streams too: chunked server-sent events as ConverseStream delivers them; a client that leaves mid-stream is
/// noticed while the router waits for the backend (keep-alive comments), the backend call stopped, and the one record
/// says the client went away.
/// </summary>
public sealed class LocalHostStreamingTests
{
    private const string Body = """{"model":"medium","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say hi"}]}""";

    [Fact]
    public async Task Serve_StreamTrue_FirstDeltaReadBeforeTheBackendFinishesThenDone()
    {
        await using var router = await RouterHarness.StartAsync();
        var release = new TaskCompletionSource();
        router.Bedrock.Default = Stream(MessageStart(), Delta("Hel"), new Hold(release), Delta("lo."), MessageStop(), Metadata(12, 3));
        var port = LocalHostTests.FreePort();
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(() => new LocalHost(router.Handler, TestConfig.SupportClient, TimeProvider.System, TextWriter.Null).RunAsync(port, stop.Token));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await LocalHostTests.WaitUntilListeningAsync(http);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(TimeSpan.FromSeconds(10));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        response.Headers.TransferEncodingChunked.Should().BeTrue();
        await using var body = await response.Content.ReadAsStreamAsync();
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        while (!seen.ToString().Contains("\"content\":\"Hel\"", StringComparison.Ordinal))
        {
            var read = await body.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            read.Should().BeGreaterThan(0, "the first delta arrives while the backend still holds the rest");
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        seen.ToString().Should().NotContain("lo.");
        release.SetResult();
        using var rest = new StreamReader(body);
        var text = seen + await rest.ReadToEndAsync();
        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(5));

        text.Should().Contain("\"content\":\"Hel\"").And.Contain("\"content\":\"lo.\"").And.EndWith("data: [DONE]\n\n");
        var record = router.Records.Should().ContainSingle(r => r.GetProperty("path").GetString() == "/v1/chat/completions").Subject;
        record.GetProperty("stream").GetString().Should().Be("sse");
        // 12 x 0.06 + 3 x 0.24 = 0.72 + 0.72 = 1.44 per 1M -> 0.00000144 USD.
        record.GetProperty("costUsd").GetDecimal().Should().Be(0.00000144m);
    }

    [Fact]
    public async Task Serve_ClientClosesMidStream_BackendCallCancelledAndTheOneRecordSaysTheClientWentAway()
    {
        await using var router = await RouterHarness.StartAsync();
        var release = new TaskCompletionSource();
        var aborted = new TaskCompletionSource();
        router.Bedrock.Default = Stream(MessageStart(), Delta("Hel"), new Hold(release, aborted), Delta("lo."), MessageStop(), Metadata(12, 3));
        var port = LocalHostTests.FreePort();
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(() => new LocalHost(router.Handler, TestConfig.SupportClient, TimeProvider.System, TextWriter.Null, keepAlive: TimeSpan.FromMilliseconds(100)).RunAsync(port, stop.Token));
        using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") })
        {
            await LocalHostTests.WaitUntilListeningAsync(http);
        }

        // A raw HTTP/1.1 client: the request, the answer read up to the first text, then the socket closed.
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            var body = Encoding.UTF8.GetBytes(Body);
            await client.SendAsync(Encoding.ASCII.GetBytes(
                $"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n").Concat(body).ToArray());
            var seen = new StringBuilder();
            var buffer = new byte[4096];
            while (!seen.ToString().Contains("\"content\":\"Hel\"", StringComparison.Ordinal))
            {
                var read = await client.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                read.Should().BeGreaterThan(0);
                seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }

            seen.ToString().Should().StartWith("HTTP/1.1 200 OK").And.NotContain("lo.");
        }

        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!router.Records.Any(r => r.GetProperty("path").GetString() == "/v1/chat/completions") && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        release.SetResult();
        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(5));

        router.Bedrock.Received.Should().ContainSingle("the backend call was stopped, not retried or sent elsewhere");
        var record = router.Records.Should().ContainSingle(r => r.GetProperty("path").GetString() == "/v1/chat/completions").Subject;
        record.GetProperty("clientGone").GetBoolean().Should().BeTrue();
        record.GetProperty("outcome").GetString().Should().Be("client_gone");
        record.GetProperty("streamEnd").GetString().Should().Be("client_gone");
        record.GetProperty("stream").GetString().Should().Be("sse");
        record.GetProperty("usageEstimated").GetBoolean().Should().BeTrue();
        // The estimate: 8 tokens in (3 framing + "Say hi" 2 + 3 for the reply) and "Hel" (1) out, at nova lite's 0.06 and
        // 0.24 per 1M: 0.48 + 0.24 = 0.72 -> 0.00000072 USD.
        record.GetProperty("outputTokens").GetInt64().Should().Be(1);
        record.GetProperty("costUsd").GetDecimal().Should().Be(0.00000072m);
    }
}
