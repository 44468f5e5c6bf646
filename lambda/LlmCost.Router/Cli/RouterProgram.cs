using System.Globalization;
using LlmCost.Router.Configuration;
using LlmCost.Router.Handling;
using LlmCost.Router.Local;
using LlmCost.Router.Runtime;
using LlmCost.Router.Tokens;

namespace LlmCost.Router.Cli;

/// <summary>
/// The bootstrap's entry: with no arguments it is the Lambda runtime (needs <c>AWS_LAMBDA_RUNTIME_API</c>);
/// <c>serve [--port N] [--config FILE] [--client-id ID]</c> runs the same handler on 127.0.0.1 for development.
/// Usage records go to stdout, diagnostics to stderr.
/// </summary>
public static class RouterProgram
{
    public const int DefaultPort = 8080;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "serve")
        {
            return await ServeAsync(args[1..]);
        }

        if (args.Length > 0)
        {
            await Console.Error.WriteLineAsync("usage: bootstrap                       (the Lambda runtime; needs AWS_LAMBDA_RUNTIME_API)\n       bootstrap serve [--port N] [--config FILE] [--client-id ID]");
            return 64;
        }

        var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrEmpty(runtimeApi))
        {
            await Console.Error.WriteLineAsync("AWS_LAMBDA_RUNTIME_API is not set: this is not a Lambda environment. For local use: bootstrap serve");
            return 64;
        }

        var client = new RuntimeApiClient(RuntimeApiClient.CreateHttpClient(), runtimeApi);
        var bootstrap = new LambdaBootstrap(client, TimeProvider.System, Environment.SetEnvironmentVariable, Console.Error);
        var streaming = Environment.GetEnvironmentVariable(ResponseStreamingVariable) == "1";
        return await bootstrap.RunAsync(_ => Task.FromResult(Handler(Init(), streaming)), CancellationToken.None);
    }

    /// <summary>
    /// The init phase. On an on-demand cold start the tokenizer's vocabulary (most of the start-up work) loads in the
    /// background while the runtime polls for the request that caused the start. With provisioned concurrency or
    /// SnapStart, init runs ahead of any request and the environment may be frozen right after the first poll, so
    /// there the vocabulary loads before it.
    /// </summary>
    private static RouterHandler Init()
    {
        var started = TimeProvider.System.GetTimestamp();
        var initType = Environment.GetEnvironmentVariable("AWS_LAMBDA_INITIALIZATION_TYPE");
        var background = initType is null or "on-demand";
        var counter = background ? TokenCounter.LoadO200kBaseInBackground() : TokenCounter.CreateO200kBase();
        if (background)
        {
            // A vocabulary that fails to load would turn every request into a 500 for the environment's whole life:
            // end the process instead, so Lambda starts a fresh init and the failure shows as one.
            _ = counter.Ready.ContinueWith(
                failed =>
                {
                    Console.Error.WriteLine($"init: the tokenizer vocabulary failed to load ({failed.Exception?.InnerException?.GetType().Name}); exiting");
                    Environment.Exit(1);
                },
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
        }

        var handler = RouterApp.Create(Environment.GetEnvironmentVariable, TimeProvider.System, Console.Out, RouterApp.CreateHttpClient(), counter, diagnostics: Console.Error);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"init ({initType ?? "on-demand"}): {TimeProvider.System.GetElapsedTime(started).TotalMilliseconds:0} ms; tokenizer vocabulary {(background ? "loading in the background" : "loaded")}"));
        return handler;
    }

    /// <summary>
    /// Set to <c>1</c> where the gateway's integrations use <c>responseTransferMode: STREAM</c> (the function is then
    /// invoked with InvokeWithResponseStream): every answer goes out in the streamed format (prelude, 8 NUL bytes,
    /// body), streamed chat answers as they arrive. Unset: answers are buffered proxy responses. The program sets it
    /// (one name, <see cref="CostModel.ApiSurface"/>, shared with the gateway that streams).
    /// </summary>
    public const string ResponseStreamingVariable = CostModel.ApiSurface.ResponseStreamingVariable;

    internal static InvocationHandler Handler(RouterHandler router, bool streaming = false, TimeProvider? time = null) =>
        async (invocation, cancellationToken) =>
        {
            var stream = streaming ? invocation.ResponseStream : null;
            var response = await router.HandleAsync(invocation.Payload, InvocationFor(invocation, stream, (time ?? TimeProvider.System).GetUtcNow()), cancellationToken);
            if (stream is null)
            {
                return response.ToJson();
            }

            if (!stream.Started)
            {
                // A whole answer (JSON, an error, or SSE rendered at once) in the streamed format the integration expects.
                await stream.StartAsync(response.StatusCode, response.Headers, cancellationToken);
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(response.Body), cancellationToken);
            }

            return [];
        };

    /// <summary>
    /// What the handler knows of an invocation. Behind a streaming gateway (<paramref name="stream"/> set) an answer sent
    /// whole must be ready within the stream's idle timeout, counted from now.
    /// </summary>
    internal static InvocationInfo InvocationFor(Invocation invocation, Handling.IResponseStream? stream, DateTimeOffset now) =>
        new(invocation.RequestId, invocation.Deadline, invocation.TraceId, stream, stream is null ? null : now + InvocationInfo.StreamIdleAllowance);

    private static async Task<int> ServeAsync(string[] args)
    {
        var port = DefaultPort;
        string? configFile = null;
        string? clientId = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--port" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536:
                    port = p;
                    i++;
                    break;
                case "--config" when value is not null:
                    configFile = value;
                    i++;
                    break;
                case "--client-id" when value is not null:
                    clientId = value;
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"serve: unexpected argument \"{args[i]}\" (or a missing/invalid value)");
                    return 64;
            }
        }

        try
        {
            var json = configFile is not null ? await File.ReadAllTextAsync(configFile) : Environment.GetEnvironmentVariable(CostModel.RouterConfiguration.EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(json))
            {
                await Console.Error.WriteLineAsync($"serve: give --config FILE or set {CostModel.RouterConfiguration.EnvironmentVariable}");
                return 64;
            }

            var config = RouterConfigurationLoader.Parse(json, local: true);
            var handler = RouterApp.Create(config, Environment.GetEnvironmentVariable, TimeProvider.System, Console.Out, RouterApp.CreateHttpClient(), diagnostics: Console.Error);
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            await new LocalHost(handler, clientId ?? config.Apps[0].ClientId.Resolved, TimeProvider.System, Console.Error).RunAsync(port, stop.Token);
            return 0;
        }
        catch (Exception e) when (e is RouterConfigurationException or IOException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"serve: {e.Message}");
            return 1;
        }
    }
}
