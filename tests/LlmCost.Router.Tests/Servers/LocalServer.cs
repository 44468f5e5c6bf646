using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmCost.Router.Tests.Servers;

/// <summary>A request as the server received it: the raw target (percent-encoding intact), headers and body.</summary>
internal sealed record ReceivedRequest(string Method, string RawTarget, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>Kestrel on 127.0.0.1 with an ephemeral port, answering with a delegate and keeping every request it saw.</summary>
internal sealed class LocalServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public string HostAndPort => $"{BaseUri.Host}:{BaseUri.Port}";

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public static async Task<LocalServer> StartAsync(Func<ReceivedRequest, HttpContext, Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        LocalServer? server = null;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            // A streamed Lambda response is left for the handler to read as it arrives.
            if (context.Request.Headers["Lambda-Runtime-Function-Response-Mode"] != "streaming")
            {
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            }

            var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var received = new ReceivedRequest(context.Request.Method, raw, context.Request.Path.Value ?? "/", headers, body.ToArray());
            server!.Received.Enqueue(received);
            await handle(received, context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new LocalServer(app, new Uri(address));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
