using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using LlmCost.Router.Local;

namespace LlmCost.Router.Tests;

/// <summary>`serve`: the same handler behind HttpListener on 127.0.0.1, the app from a header.</summary>
public sealed class LocalHostTests
{
    [Fact]
    public async Task Serve_ChatAndModels_SameHandlerOverHttp()
    {
        await using var router = await RouterHarness.StartAsync();
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var host = new LocalHost(router.Handler, TestConfig.SupportClient, TimeProvider.System, TextWriter.Null);
        var serving = Task.Run(() => host.RunAsync(port, stop.Token));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitUntilListeningAsync(http);

        using var chat = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "medium", messages = new[] { new { role = "user", content = "Say hi" } } }),
        };
        chat.Headers.Add(LocalHost.ClientIdHeader, TestConfig.SearchClient);
        using var response = await http.SendAsync(chat);
        var models = await http.GetStringAsync("/v1/models");
        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(5));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("x-llm-cost-route").Should().Equal("medium");
        response.Headers.GetValues("x-llm-cost-usd").Single().Should().Be("0.00000144", "12 x 0.06 + 3 x 0.24 per 1M");
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32().Should().Be(15);
        JsonDocument.Parse(models).RootElement.GetProperty("data").GetArrayLength().Should().Be(5);
        router.Records.Select(r => r.GetProperty("app").GetString()).Should().Contain("search");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Serve_BodyOverTheGatewayLimit_413WithARecordNotAnEmpty200(bool withContentLength)
    {
        await using var router = await RouterHarness.StartAsync();
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var host = new LocalHost(router.Handler, TestConfig.SupportClient, TimeProvider.System, TextWriter.Null);
        var serving = Task.Run(() => host.RunAsync(port, stop.Token));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitUntilListeningAsync(http);
        var before = router.Records.Count;

        // 10 MiB + 1 byte: one over API Gateway's payload limit.
        var bytes = new byte[(10 * 1024 * 1024) + 1];
        HttpContent content = withContentLength ? new ByteArrayContent(bytes) : new StreamContent(new UnknownLengthStream(bytes));
        using var response = await http.PostAsync("/v1/chat/completions", content);
        var body = await response.Content.ReadAsStringAsync();
        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(5));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        error.GetProperty("param").GetString().Should().Be("body");
        error.GetProperty("message").GetString().Should().Be("body: over the gateway's payload limit of 10485760 bytes");
        var record = router.Records.Skip(before).Where(r => r.GetProperty("path").GetString() == "/v1/chat/completions").Should().ContainSingle().Subject;
        record.GetProperty("status").GetInt32().Should().Be(413);
        record.GetProperty("outcome").GetString().Should().Be("client_error");
        EmfCheck.AssertValid(record);
    }

    [Fact]
    public async Task Serve_TenMegabyteBodyWithinTheLimit_HandledWithAProperResponseAndARecord()
    {
        await using var router = await RouterHarness.StartAsync();
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var host = new LocalHost(router.Handler, TestConfig.SupportClient, TimeProvider.System, TextWriter.Null);
        var serving = Task.Run(() => host.RunAsync(port, stop.Token));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitUntilListeningAsync(http);
        var before = router.Records.Count;

        // {"model":"auto","messages":[{"role":"user","content":"aaa..."}]}: 58 bytes of JSON around 10,485,702 letters = 10 MiB.
        var json = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 10_485_702) + "\"}]}";
        json.Length.Should().Be(10 * 1024 * 1024);
        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(json));
        var body = await response.Content.ReadAsStringAsync();
        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(5));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString()
            .Should().Be("messages[0].content: 10485702 characters, over the limit of 200000");
        router.Records.Skip(before).Where(r => r.GetProperty("path").GetString() == "/v1/chat/completions").Should().ContainSingle()
            .Which.GetProperty("status").GetInt32().Should().Be(413);
    }

    /// <summary>A stream that does not tell its length, so HttpClient sends it chunked (no Content-Length to refuse by).</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    internal static async Task WaitUntilListeningAsync(HttpClient http)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                await http.GetAsync("/v1/models");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(20);
            }
        }
    }

    internal static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
