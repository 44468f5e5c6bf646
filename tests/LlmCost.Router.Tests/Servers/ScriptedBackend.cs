using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LlmCost.Router.Tests.Servers;

/// <summary>How the backend answers one request.</summary>
internal delegate Task Reply(ReceivedRequest request, HttpContext context);

/// <summary>
/// A local server that answers in a backend's wire format from a script: each request takes the next scripted reply,
/// then the default. Used for Bedrock Converse, SageMaker InvokeEndpoint and an OpenAI-compatible fleet.
/// </summary>
internal sealed class ScriptedBackend : IAsyncDisposable
{
    private readonly ConcurrentQueue<Reply> _script = new();
    private LocalServer _server = null!;

    public Reply Default { get; set; } = Replies.ConverseOk("Hello.", 12, 3);

    public Uri BaseUri => _server.BaseUri;

    public IReadOnlyList<ReceivedRequest> Received => _server.Received.ToList();

    public static async Task<ScriptedBackend> StartAsync()
    {
        var backend = new ScriptedBackend();
        backend._server = await LocalServer.StartAsync((request, context) =>
            (backend._script.TryDequeue(out var next) ? next : backend.Default)(request, context));
        return backend;
    }

    public ScriptedBackend Then(params Reply[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }

        return this;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>Replies in the real wire formats (shapes from the botocore service models and the OpenAI client types).</summary>
internal static class Replies
{
    public static Reply ConverseOk(string text, long input, long output, long cacheRead = 0, long cacheWrite = 0, string stopReason = "end_turn") =>
        Json(200, $$$"""
            {"output":{"message":{"role":"assistant","content":[{"text":{{{Quote(text)}}}}]}},"stopReason":"{{{stopReason}}}",
             "usage":{"inputTokens":{{{input}}},"outputTokens":{{{output}}},"totalTokens":{{{input + output + cacheRead + cacheWrite}}},"cacheReadInputTokens":{{{cacheRead}}},"cacheWriteInputTokens":{{{cacheWrite}}}},
             "metrics":{"latencyMs":412}}
            """);

    public static Reply OpenAiOk(string text, long prompt, long completion, long cached = 0, string finish = "stop") =>
        Json(200, $$$"""
            {"id":"chatcmpl-x","object":"chat.completion","created":1767225600,"model":"llama-3.1-8b-instruct",
             "choices":[{"index":0,"message":{"role":"assistant","content":{{{Quote(text)}}}},"logprobs":null,"finish_reason":"{{{finish}}}"}],
             "usage":{"prompt_tokens":{{{prompt}}},"completion_tokens":{{{completion}}},"total_tokens":{{{prompt + completion}}},"prompt_tokens_details":{"cached_tokens":{{{cached}}} } } }
            """);

    /// <summary>An AWS JSON-protocol error: code in x-amzn-ErrorType (with the suffix AWS adds), message in the body.</summary>
    public static Reply AwsError(int status, string code, string message, string extraBody = "") => async (_, context) =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-amzn-ErrorType"] = $"{code}:http://internal.amazon.com/coral/com.amazon.bedrock/";
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$$"""{"message":{{{Quote(message)}}}{{{extraBody}}}}""");
    };

    public static Reply Status(int status, string body = "", string? retryAfter = null) => async (_, context) =>
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers["Retry-After"] = retryAfter;
        }

        await context.Response.WriteAsync(body);
    };

    public static Reply Json(int status, string body) => async (_, context) =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    };

    /// <summary>SageMaker Runtime's error shape: code in x-amzn-ErrorType, capitalised <c>Message</c> in the body.</summary>
    public static Reply SageMakerError(int status, string code, string message) => async (_, context) =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-amzn-ErrorType"] = $"{code}:http://internal.amazon.com/coral/com.amazon.sagemaker/";
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$$"""{"Message":{{{Quote(message)}}}}""");
    };

    /// <summary>One reply for requests whose raw target contains <paramref name="targetPart"/>, another for the rest.</summary>
    public static Reply When(string targetPart, Reply then, Reply otherwise) => (request, context) =>
        request.RawTarget.Contains(targetPart, StringComparison.Ordinal) ? then(request, context) : otherwise(request, context);

    /// <summary>Answers only after <paramref name="delay"/> (or when the client gives up).</summary>
    public static Reply Hang(TimeSpan delay, Reply then) => async (request, context) =>
    {
        try
        {
            await Task.Delay(delay, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await then(request, context);
    };

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text, System.Text.Json.JsonSerializerOptions.Default);
}
