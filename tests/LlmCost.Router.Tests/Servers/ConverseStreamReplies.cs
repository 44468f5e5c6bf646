using System.Text;
using Microsoft.AspNetCore.Http;
using SdkStream = Amazon.Runtime.EventStreams;

namespace LlmCost.Router.Tests.Servers;

/// <summary>
/// Bedrock ConverseStream answers as real <c>application/vnd.amazon.eventstream</c> frames, encoded by AWSSDK.Core's
/// event-stream encoder (an independent implementation from the router's decoder). Each frame is flushed on its own; a
/// <see cref="Hold"/> in the script waits until the test releases it.
/// </summary>
internal static class ConverseStreamReplies
{
    /// <summary>A step in a scripted stream: a frame to write, a pause until released, or a dropped connection.</summary>
    internal abstract record Step;

    internal sealed record Frame(byte[] Bytes) : Step;

    /// <param name="Aborted">Set when the router closes the connection while the server holds.</param>
    internal sealed record Hold(TaskCompletionSource Release, TaskCompletionSource? Aborted = null) : Step;

    internal sealed record Drop : Step;

    public static Frame Event(string eventType, string json) => new(Encode(":event-type", eventType, "event", json));

    public static Frame MessageStart() => Event("messageStart", """{"role":"assistant"}""");

    public static Frame Delta(string text) =>
        Event("contentBlockDelta", $$$"""{"contentBlockIndex":0,"delta":{"text":{{{System.Text.Json.JsonSerializer.Serialize(text)}}}},"p":"abcd"}""");

    public static Frame BlockStop() => Event("contentBlockStop", """{"contentBlockIndex":0}""");

    public static Frame MessageStop(string stopReason = "end_turn") => Event("messageStop", $$"""{"stopReason":"{{stopReason}}"}""");

    public static Frame Metadata(long input, long output, long cacheRead = 0, long cacheWrite = 0) => Event("metadata",
        $$$"""{"usage":{"inputTokens":{{{input}}},"outputTokens":{{{output}}},"totalTokens":{{{input + output + cacheRead + cacheWrite}}},"cacheReadInputTokens":{{{cacheRead}}},"cacheWriteInputTokens":{{{cacheWrite}}}},"metrics":{"latencyMs":731}}""");

    /// <summary>An exception frame as Bedrock sends one mid-stream (<c>:message-type</c> exception).</summary>
    public static Frame Exception(string type, string message) => new(Encode(":exception-type", type, "exception", $$$"""{"message":{{{System.Text.Json.JsonSerializer.Serialize(message)}}}}"""));

    /// <summary>Writes the steps as a 200 ConverseStream answer; the connection's abort (a client gone) ends it early.</summary>
    public static Reply Stream(params Step[] steps) => async (_, context) =>
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/vnd.amazon.eventstream";
        await context.Response.StartAsync();
        foreach (var step in steps)
        {
            switch (step)
            {
                case Frame frame:
                    await context.Response.Body.WriteAsync(frame.Bytes);
                    await context.Response.Body.FlushAsync();
                    break;
                case Hold hold:
                    await Task.WhenAny(hold.Release.Task, Task.Delay(Timeout.Infinite, context.RequestAborted));
                    if (context.RequestAborted.IsCancellationRequested)
                    {
                        hold.Aborted?.TrySetResult();
                        return;
                    }

                    break;
                case Drop:
                    // A reset discards what the client has not read yet: let the frames before it arrive first.
                    await Task.Delay(300);
                    context.Abort();
                    return;
            }
        }
    };

    private static byte[] Encode(string typeHeader, string type, string messageType, string payload)
    {
        var headers = new List<SdkStream.IEventStreamHeader>();
        void Add(string name, string value)
        {
            var header = new SdkStream.EventStreamHeader(name);
            header.SetString(value);
            headers.Add(header);
        }

        Add(typeHeader, type);
        Add(":content-type", "application/json");
        Add(":message-type", messageType);
        return new SdkStream.EventStreamMessage(headers, Encoding.UTF8.GetBytes(payload)).ToByteArray();
    }
}
