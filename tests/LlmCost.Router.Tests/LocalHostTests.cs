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

    private static async Task WaitUntilListeningAsync(HttpClient http)
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

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
