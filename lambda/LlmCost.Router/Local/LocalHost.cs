using System.Buffers;
using System.Net;
using System.Text.Json;
using LlmCost.Router.Handling;

namespace LlmCost.Router.Local;

/// <summary>
/// The same handler behind a small HTTP server on 127.0.0.1, for development: each HTTP request becomes the REST
/// proxy event API Gateway would send, with the app taken from the <c>x-llm-cost-client-id</c> header (else the
/// default client), as the Cognito authorizer's <c>client_id</c> claim. Time limits as behind the streaming gateway: the
/// router's longest timeout, and an answer sent whole ready within the stream's idle timeout.
/// </summary>
/// <param name="keepAlive">How long a streamed answer may stay silent before a keep-alive comment tests whether the client
/// is still there (default <see cref="DefaultKeepAlive"/>).</param>
internal sealed class LocalHost(RouterHandler handler, string defaultClientId, TimeProvider time, TextWriter log, TimeSpan? keepAlive = null)
{
    public const string ClientIdHeader = "x-llm-cost-client-id";

    /// <summary>A client gone mid-stream is noticed within two of these (and the backend call stopped).</summary>
    public static readonly TimeSpan DefaultKeepAlive = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan RouterTimeout = TimeSpan.FromSeconds(CostModel.ApiSurface.MaxRouterTimeoutSeconds);

    public async Task RunAsync(int port, CancellationToken cancellationToken)
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        log.WriteLine($"llm-cost router: serving http://127.0.0.1:{port}/v1 (POST /v1/chat/completions, GET /v1/models); app from header {ClientIdHeader}, default {defaultClientId}");
        using var registration = cancellationToken.Register(listener.Stop);
        var requests = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var id = $"local-{Interlocked.Increment(ref requests)}";
            _ = Task.Run(() => ServeAsync(context, id, cancellationToken), cancellationToken);
        }
    }

    /// <summary>API Gateway refuses a larger payload (10 MB) before the function sees it; so does serve, before reading it.</summary>
    public const int MaxBodyBytes = 10 * 1024 * 1024;

    private async Task ServeAsync(HttpListenerContext context, string requestId, CancellationToken cancellationToken)
    {
        ListenerResponseStream? stream = null;
        try
        {
            var body = await ReadBodyAsync(context.Request, cancellationToken);
            Gateway.ApiGatewayResponse response;
            if (body is null)
            {
                response = handler.RefuseOutside(requestId, context.Request.HttpMethod, context.Request.Url?.AbsolutePath ?? "/",
                    Chat.RequestError.TooLarge("body", $"over the gateway's payload limit of {MaxBodyBytes} bytes"), "client_error");
            }
            else
            {
                var clientId = context.Request.Headers[ClientIdHeader] ?? defaultClientId;
                var proxyEvent = ProxyEvent(context.Request, body, requestId, clientId);
                stream = new ListenerResponseStream(context.Response, keepAlive ?? DefaultKeepAlive, time);
                var now = time.GetUtcNow();
                var info = new InvocationInfo(requestId, now + RouterTimeout, null, stream, now + InvocationInfo.StreamIdleAllowance);
                response = await handler.HandleAsync(proxyEvent, info, cancellationToken);
                if (stream.Started)
                {
                    // Streamed as it arrived; closing the response below sends the last chunk.
                    return;
                }
            }

            await WriteAsync(context, response, cancellationToken);
        }
        catch (Exception e) when (e is HttpListenerException or IOException)
        {
            log.WriteLine($"{requestId}: the client went away: {e.GetType().Name}");
        }
        catch (Exception e)
        {
            // Outside the handler (reading the body, building the event): the client still gets a 500 that says so,
            // the request leaves its record, and the log the type and stack trace (never the message: it may quote input).
            log.WriteLine($"serve_error {requestId}: {e.GetType().FullName}\n{e.StackTrace}");
            var response = handler.RefuseOutside(requestId, context.Request.HttpMethod, context.Request.Url?.AbsolutePath ?? "/",
                new Chat.RequestError(500, $"internal error in the local host ({e.GetType().Name})", null, "router_error"), "router_error");
            try
            {
                await WriteAsync(context, response, cancellationToken);
            }
            catch (Exception inner) when (inner is HttpListenerException or IOException or InvalidOperationException)
            {
                log.WriteLine($"{requestId}: could not send the error response: {inner.GetType().Name}");
            }
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            context.Response.Close();
        }
    }

    /// <summary>The body, or null when it is over <see cref="MaxBodyBytes"/> (by its Content-Length, or as it streams in).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpListenerRequest request, CancellationToken cancellationToken)
    {
        var buffer = new byte[81_920];
        if (request.ContentLength64 > MaxBodyBytes)
        {
            await DrainAsync(request.InputStream, buffer, cancellationToken);
            return null;
        }

        using var body = new MemoryStream();
        while (true)
        {
            var read = await request.InputStream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return body.ToArray();
            }

            if (body.Length + read > MaxBodyBytes)
            {
                await DrainAsync(request.InputStream, buffer, cancellationToken);
                return null;
            }

            body.Write(buffer, 0, read);
        }
    }

    /// <summary>
    /// Reads and discards the rest of a refused body (up to a bound), so a client still sending it can read the 413
    /// rather than see the connection reset; nothing is kept.
    /// </summary>
    private static async Task DrainAsync(Stream input, byte[] buffer, CancellationToken cancellationToken)
    {
        long drained = 0;
        int read;
        while (drained < 8L * MaxBodyBytes && (read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            drained += read;
        }
    }

    private static async Task WriteAsync(HttpListenerContext context, Gateway.ApiGatewayResponse response, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(response.Body);
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>A REST API (payload 1.0) proxy event, as the gateway would build it for this request.</summary>
    public static byte[] ProxyEvent(HttpListenerRequest request, byte[] body, string requestId, string clientId)
    {
        var headers = request.Headers.AllKeys.Where(k => k is not null && !k.Equals("authorization", StringComparison.OrdinalIgnoreCase))
            .Select(k => new KeyValuePair<string, string>(k!, request.Headers[k] ?? ""));
        return ProxyEvent(request.HttpMethod, request.Url?.AbsolutePath ?? "/", headers, body, requestId, clientId);
    }

    public static byte[] ProxyEvent(string method, string path, IEnumerable<KeyValuePair<string, string>> headers, byte[] body, string requestId, string clientId)
    {
        var buffer = new ArrayBufferWriter<byte>(body.Length + 1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("resource", path);
            w.WriteString("path", path);
            w.WriteString("httpMethod", method);
            w.WriteStartObject("headers");
            foreach (var (name, value) in headers)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
            w.WriteStartObject("requestContext");
            w.WriteString("requestId", requestId);
            w.WriteString("stage", "local");
            w.WriteString("httpMethod", method);
            w.WriteStartObject("authorizer");
            w.WriteStartObject("claims");
            w.WriteString("client_id", clientId);
            w.WriteString("scope", "llm-cost/invoke");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            if (body.Length > 0)
            {
                w.WriteString("body", Convert.ToBase64String(body));
                w.WriteBoolean("isBase64Encoded", true);
            }
            else
            {
                w.WriteNull("body");
                w.WriteBoolean("isBase64Encoded", false);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
