using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LlmCost.Router.Benchmarks;

/// <summary>
/// Cold start, as Lambda sees it: spawns the bootstrap with a configuration and a local Runtime API, and times from
/// Process.Start to (1) its first <c>GET /runtime/invocation/next</c> (init done) and (2) its response to a first
/// chat request whose input is counted and then refused for an unknown model (so no backend is needed, but the
/// event parsing, validation, tokenizer and usage record all run). Then <c>next</c> answers 500 and the process
/// exits. Each command runs <c>runs</c> times after one warm-up run; prints median, p90 and min.
/// </summary>
internal static class StartupTimer
{
    private static readonly byte[] FirstEvent = Encoding.UTF8.GetBytes("""
        {"resource":"/v1/chat/completions","path":"/v1/chat/completions","httpMethod":"POST","headers":{"Content-Type":"application/json"},
         "requestContext":{"requestId":"cold-1","authorizer":{"claims":{"client_id":"client-support-bot"}}},
         "body":"{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"How much does a cold start cost?\"}]}","isBase64Encoded":false}
        """);

    public static async Task<int> RunAsync(string configFile, int runs, IReadOnlyList<(string Name, string File, string? Argument)> commands, IReadOnlyDictionary<string, string> extraEnvironment)
    {
        var config = await File.ReadAllTextAsync(configFile);
        foreach (var (name, file, argument) in commands)
        {
            var polls = new List<double>();
            var responses = new List<double>();
            for (var i = 0; i < runs + 1; i++)
            {
                var (poll, response) = await OnceAsync(file, argument, config, extraEnvironment);
                if (i > 0)
                {
                    // The first run warms the page cache; Lambda's repeated cold starts of one version are warm too.
                    polls.Add(poll);
                    responses.Add(response);
                }
            }

            Console.WriteLine($"{name,-4} start to first poll:     {Summary(polls)}");
            Console.WriteLine($"{name,-4} start to first response: {Summary(responses)}");
        }

        return 0;
    }

    private static string Summary(List<double> samples)
    {
        samples.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"median {samples[samples.Count / 2],7:0.0} ms, p90 {samples[(int)(samples.Count * 0.9)],7:0.0} ms, min {samples[0],7:0.0} ms ({samples.Count} runs)");
    }

    private static async Task<(double Poll, double Response)> OnceAsync(string file, string? argument, string config, IReadOnlyDictionary<string, string> extraEnvironment)
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (argument is not null)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_LAMBDA_RUNTIME_API"] = $"127.0.0.1:{port}";
        start.Environment["LLM_COST_ROUTER_CONFIG"] = config;
        foreach (var (key, value) in extraEnvironment)
        {
            start.Environment[key] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var drainOut = process.StandardOutput.ReadToEndAsync();
        var drainErr = process.StandardError.ReadToEndAsync();

        var next = await listener.GetContextAsync();
        var poll = stopwatch.Elapsed.TotalMilliseconds;
        Expect(next, "GET", "/2018-06-01/runtime/invocation/next");
        next.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = "cold-1";
        next.Response.Headers["Lambda-Runtime-Deadline-Ms"] = (TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(29)).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        next.Response.Headers["Lambda-Runtime-Trace-Id"] = "Root=1-a;Sampled=0";
        await next.Response.OutputStream.WriteAsync(FirstEvent);
        next.Response.Close();

        var answer = await listener.GetContextAsync();
        var response = stopwatch.Elapsed.TotalMilliseconds;
        Expect(answer, "POST", "/2018-06-01/runtime/invocation/cold-1/response");
        answer.Response.StatusCode = 202;
        answer.Response.Close();

        var last = await listener.GetContextAsync();
        last.Response.StatusCode = 500;
        last.Response.Close();
        await process.WaitForExitAsync();
        await Task.WhenAll(drainOut, drainErr);
        return (poll, response);
    }

    private static void Expect(HttpListenerContext context, string method, string path)
    {
        if (context.Request.HttpMethod != method || context.Request.Url?.AbsolutePath != path)
        {
            throw new InvalidOperationException($"expected {method} {path}, got {context.Request.HttpMethod} {context.Request.Url?.AbsolutePath}");
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
