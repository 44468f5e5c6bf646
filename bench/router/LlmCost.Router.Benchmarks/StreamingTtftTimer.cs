using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LlmCost.Router.Configuration;
using LlmCost.Router.Handling;
using LlmCost.Router.Local;
using LlmCost.Router.Streaming;

namespace LlmCost.Router.Benchmarks;

/// <summary>
/// Time to first token added by the router to a streamed answer: a local server that sends its first text at once,
/// timed directly (the backend's own time to first token) and through `serve` (the router's whole path: event,
/// validation, counting, routing, request signing, decoding, the first SSE chunk), both over loopback HTTP/1.1 from
/// the same process. The difference is what the router adds. Two backends: Bedrock ConverseStream (route medium) and
/// SageMaker InvokeEndpointWithResponseStream carrying TGI's server-sent events in PayloadParts (route small, the fleet).
/// </summary>
internal static class StreamingTtftTimer
{
    public static async Task<int> RunAsync(string configPath, int runs)
    {
        using var backend = new HttpListener();
        var backendPort = FreePort();
        backend.Prefixes.Add($"http://127.0.0.1:{backendPort}/");
        backend.Start();
        _ = Task.Run(() => ServeBackendAsync(backend));

        var environment = new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = $"http://127.0.0.1:{backendPort}",
            ["AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME"] = $"http://127.0.0.1:{backendPort}",
            ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        };
        var config = RouterConfigurationLoader.Parse(await File.ReadAllTextAsync(configPath), local: true);
        var records = new StringWriter();
        var handler = RouterApp.Create(config, name => environment.GetValueOrDefault(name), TimeProvider.System, TextWriter.Synchronized(records), RouterApp.CreateHttpClient());
        var routerPort = FreePort();
        using var stop = new CancellationTokenSource();
        _ = Task.Run(() => new LocalHost(handler, config.Apps[0].ClientId.Resolved, TimeProvider.System, TextWriter.Null).RunAsync(routerPort, stop.Token));
        await Task.Delay(500);

        using var http = new HttpClient();
        var routed = $"http://127.0.0.1:{routerPort}/v1/chat/completions";
        foreach (var (name, direct, route) in new[]
        {
            ("Bedrock ConverseStream", $"http://127.0.0.1:{backendPort}/model/amazon.nova-lite-v1%3A0/converse-stream", "medium"),
            ("SageMaker response stream", $"http://127.0.0.1:{backendPort}/endpoints/llm-cost-prod-fleet/invocations-response-stream", "small"),
        })
        {
            var routedBody = $$"""{"model":"{{route}}","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Write one sentence about the sea."}]}""";
            var backendTimes = new List<double>();
            var routerTimes = new List<double>();
            var before = records.ToString().Length;
            for (var i = 0; i < runs + 10; i++)
            {
                // Alternate, so drift on a shared machine hits both alike; the first 10 of each warm up.
                var b = await FirstBytesAsync(http, direct, "{}", "\"The");
                var r = await FirstBytesAsync(http, routed, routedBody, "\"content\":\"The");
                if (i >= 10)
                {
                    backendTimes.Add(b);
                    routerTimes.Add(r);
                }
            }

            Console.WriteLine($"{name} (route {route}):");
            Print("backend directly", backendTimes);
            Print("through the router", routerTimes);
            var added = routerTimes.Zip(backendTimes, (r, b) => r - b).ToList();
            Print("added by the router (paired)", added);
            // The record's own figure: from the handler's start to the first delta handed to the response stream, so the
            // router's work plus the backend's time to first token, without serve's HTTP in front.
            var recorded = records.ToString()[before..].Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
                .Where(r => r.TryGetProperty("timeToFirstTokenMs", out _))
                .Select(r => (double)r.GetProperty("timeToFirstTokenMs").GetInt64()).Skip(10).ToList();
            Print("record timeToFirstTokenMs", recorded);
        }

        await stop.CancelAsync();
        return 0;
    }

    private static void Print(string what, List<double> samples)
    {
        samples.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-30} median {samples[samples.Count / 2],7:0.000} ms, p90 {samples[(int)(samples.Count * 0.9)],7:0.000} ms, p99 {samples[(int)(samples.Count * 0.99)],7:0.000} ms ({samples.Count} requests)"));
    }

    /// <summary>Milliseconds from sending the request to reading <paramref name="marker"/>; the rest is read and dropped.</summary>
    private static async Task<double> FirstBytesAsync(HttpClient http, string url, string body, string marker)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var seen = new List<byte>();
        var buffer = new byte[8192];
        double? first = null;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            if (first is null)
            {
                seen.AddRange(buffer.AsSpan(0, read).ToArray());
                if (Encoding.UTF8.GetString(seen.ToArray()).Contains(marker, StringComparison.Ordinal))
                {
                    first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }
        }

        return first ?? throw new InvalidOperationException($"no \"{marker}\" in the answer from {url}: {Encoding.UTF8.GetString(seen.ToArray())}");
    }

    /// <summary>
    /// ConverseStream: messageStart and the first delta at once, then the rest, each frame flushed. SageMaker's
    /// response stream: a PayloadPart with TGI's first chunk at once, then the rest in parts.
    /// </summary>
    private static async Task ServeBackendAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            var context = await listener.GetContextAsync();
            _ = Task.Run(async () =>
            {
                await context.Request.InputStream.CopyToAsync(Stream.Null);
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/vnd.amazon.eventstream";
                context.Response.SendChunked = true;
                var output = context.Response.OutputStream;
                if (context.Request.Url!.AbsolutePath.EndsWith("/invocations-response-stream", StringComparison.Ordinal))
                {
                    await ServeSageMakerAsync(output);
                    context.Response.Close();
                    return;
                }

                // messageStart and the first delta in one write: HttpListener does not turn off Nagle's algorithm, so a
                // second small write would wait for the reader's delayed ACK (about 40 ms here) and measure that instead.
                await output.WriteAsync(Frame("messageStart", """{"role":"assistant"}""").Concat(Frame("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"The"}}""")).ToArray());
                await output.FlushAsync();
                foreach (var (type, json) in new[]
                {
                    ("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":" sea is wide."}}"""),
                    ("contentBlockStop", """{"contentBlockIndex":0}"""),
                    ("messageStop", """{"stopReason":"end_turn"}"""),
                    ("metadata", """{"usage":{"inputTokens":14,"outputTokens":5,"totalTokens":19},"metrics":{"latencyMs":1}}"""),
                })
                {
                    await output.WriteAsync(Frame(type, json));
                    await output.FlushAsync();
                }

                context.Response.Close();
            });
        }
    }

    private static async Task ServeSageMakerAsync(Stream output)
    {
        static string Chunk(string content, string finish) =>
            $$"""data:{"object":"chat.completion.chunk","id":"","created":1767225600,"model":"meta-llama/Llama-3.1-8B-Instruct","system_fingerprint":"3.0.1-native","choices":[{"index":0,"delta":{"role":"assistant","content":"{{content}}"},"logprobs":null,"finish_reason":{{finish}}}],"usage":null}""" + "\n\n";

        await output.WriteAsync(Part(Chunk("The", "null")));
        await output.FlushAsync();
        foreach (var part in new[]
        {
            Chunk(" sea is wide.", "null") + Chunk("", "\"stop\""),
            """data:{"object":"chat.completion.chunk","id":"","created":1767225600,"model":"meta-llama/Llama-3.1-8B-Instruct","system_fingerprint":"3.0.1-native","choices":[],"usage":{"prompt_tokens":14,"completion_tokens":5,"total_tokens":19}}""" + "\n\n",
            "data: [DONE]\n\n",
        })
        {
            await output.WriteAsync(Part(part));
            await output.FlushAsync();
        }
    }

    private static byte[] Part(string sse) =>
        Frame([(":event-type", "PayloadPart"), (":content-type", "application/octet-stream"), (":message-type", "event")], sse);

    private static byte[] Frame(string eventType, string json) =>
        Frame([(":event-type", eventType), (":content-type", "application/json"), (":message-type", "event")], json);

    /// <summary>One event-stream message: prelude (lengths, CRC), string headers, payload, message CRC.</summary>
    private static byte[] Frame((string Name, string Value)[] headerValues, string json)
    {
        using var headers = new MemoryStream();
        foreach (var (name, value) in headerValues)
        {
            headers.WriteByte((byte)name.Length);
            headers.Write(Encoding.ASCII.GetBytes(name));
            headers.WriteByte(7);
            var bytes = Encoding.UTF8.GetBytes(value);
            headers.WriteByte((byte)(bytes.Length >> 8));
            headers.WriteByte((byte)bytes.Length);
            headers.Write(bytes);
        }

        var payload = Encoding.UTF8.GetBytes(json);
        var total = 12 + (int)headers.Length + payload.Length + 4;
        var frame = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), Crc32.Compute(frame.AsSpan(0, 8)));
        headers.ToArray().CopyTo(frame, 12);
        payload.CopyTo(frame, 12 + (int)headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(total - 4), Crc32.Compute(frame.AsSpan(0, total - 4)));
        return frame;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
