using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace LlmCost.Router.Tests.Servers;

/// <summary>An invocation to hand out on <c>next</c>.</summary>
internal sealed record QueuedInvocation(string RequestId, byte[] Payload, DateTimeOffset Deadline, string TraceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");

/// <summary>
/// A local server that speaks the Lambda Runtime API (2018-06-01): <c>next</c> hands out queued invocations with the
/// request-id, deadline, ARN and trace headers, and answers 500 once the queue is closed and empty (which tells the
/// runtime to exit); response, invocation error and init error are kept for the test and answered 202.
/// </summary>
internal sealed class RuntimeApiServer : IAsyncDisposable
{
    public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:llm-cost-prod-router";

    private readonly Channel<QueuedInvocation> _queue = Channel.CreateUnbounded<QueuedInvocation>();
    private LocalServer _server = null!;

    public string HostAndPort => _server.HostAndPort;

    public ConcurrentDictionary<string, ReceivedRequest> Responses { get; } = new();

    public ConcurrentDictionary<string, ReceivedRequest> Errors { get; } = new();

    /// <summary>Streamed responses (<c>Lambda-Runtime-Function-Response-Mode: streaming</c>), readable as they arrive.</summary>
    public ConcurrentDictionary<string, StreamedResponse> Streamed { get; } = new();


    public ConcurrentQueue<ReceivedRequest> InitErrors { get; } = new();

    public int NextCalls => _server.Received.Count(r => r.Path.EndsWith("/invocation/next", StringComparison.Ordinal));

    public static async Task<RuntimeApiServer> StartAsync()
    {
        var runtime = new RuntimeApiServer();
        runtime._server = await LocalServer.StartAsync(runtime.HandleAsync);
        return runtime;
    }

    public RuntimeApiServer Enqueue(params QueuedInvocation[] invocations)
    {
        foreach (var invocation in invocations)
        {
            _queue.Writer.TryWrite(invocation);
        }

        return this;
    }

    /// <summary>After the queued invocations, <c>next</c> answers 500.</summary>
    public RuntimeApiServer ThenClose()
    {
        _queue.Writer.TryComplete();
        return this;
    }

    private async Task HandleAsync(ReceivedRequest request, HttpContext context)
    {
        const string prefix = "/2018-06-01/runtime";
        var path = request.Path;
        if (request.Method == "GET" && path == $"{prefix}/invocation/next")
        {
            QueuedInvocation invocation;
            try
            {
                invocation = await _queue.Reader.ReadAsync(context.RequestAborted);
            }
            catch (ChannelClosedException)
            {
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("""{"errorMessage":"no more invocations","errorType":"Runtime.Exit"}""");
                return;
            }

            context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
            context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = invocation.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
            context.Response.Headers["Lambda-Runtime-Trace-Id"] = invocation.TraceId;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(invocation.Payload);
            return;
        }

        var segments = path[prefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (request.Method, segments)
        {
            case ("POST", ["invocation", var id, "response"]) when request.Headers.GetValueOrDefault("Lambda-Runtime-Function-Response-Mode") == "streaming":
                var streamed = Streamed.GetOrAdd(id, _ => new StreamedResponse(request));
                if (!await streamed.ReadAsync(context))
                {
                    return;
                }

                break;
            case ("POST", ["invocation", var id, "response"]):
                Responses[id] = request;
                break;
            case ("POST", ["invocation", var id, "error"]):
                Errors[id] = request;
                break;
            case ("POST", ["init", "error"]):
                InitErrors.Enqueue(request);
                break;
            default:
                context.Response.StatusCode = 404;
                return;
        }

        context.Response.StatusCode = 202;
        await context.Response.WriteAsync("""{"status":"OK"}""");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>A streamed invocation response as the Runtime API receives it: the bytes so far, and when each piece came.</summary>
internal sealed class StreamedResponse(ReceivedRequest request)
{
    private readonly object _gate = new();
    private readonly MemoryStream _bytes = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReceivedRequest Request { get; } = request;

    /// <summary>How many reads the body took: more than one shows it came in pieces, not at once.</summary>
    public int Pieces { get; private set; }

    public byte[] Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes.ToArray();
            }
        }
    }

    public string Text => System.Text.Encoding.UTF8.GetString(Bytes);

    public Task Ended => _ended.Task;

    /// <summary>Waits until the text so far contains <paramref name="part"/>.</summary>
    public async Task WaitForAsync(string part, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!Text.Contains(part, StringComparison.Ordinal))
        {
            if (waited.Elapsed > timeout || Ended.IsCompleted)
            {
                throw new TimeoutException($"the streamed response never carried \"{part}\"; so far: {Text}");
            }

            await Task.Delay(5);
        }
    }

    private HttpContext? _context;

    /// <summary>Drops the connection mid-body, as Lambda does when the client behind the gateway went away.</summary>
    public void Cut() => _context?.Abort();

    /// <returns>False when the connection was cut.</returns>
    public async Task<bool> ReadAsync(HttpContext context)
    {
        _context = context;
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
                {
                    return false;
                }

                if (read == 0)
                {
                    return true;
                }

                lock (_gate)
                {
                    _bytes.Write(buffer, 0, read);
                    Pieces++;
                }
            }
        }
        finally
        {
            _ended.TrySetResult();
        }
    }
}
