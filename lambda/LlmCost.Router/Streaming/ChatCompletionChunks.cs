using LlmCost.CostModel;
using LlmCost.Router.Backends;

namespace LlmCost.Router.Streaming;

/// <summary>
/// A whole reply as OpenAI's server-sent events for <c>stream: true</c> when the answer is not streamed as it comes
/// (the buffered path): the same events <see cref="ChunkEvents"/> sends one at a time, sent together.
/// </summary>
internal static class ChatCompletionChunks
{
    public const string ContentType = "text/event-stream";

    public static byte[] Render(string requestId, DateTimeOffset created, RouteConfiguration route, BackendReply reply, decimal costUsd, decimal estimatedCostUsd, bool includeUsage)
    {
        var events = new ChunkEvents(requestId, created, route, includeUsage);
        IEnumerable<byte[]> parts =
        [
            events.Role(),
            .. reply.Text.Length > 0 ? [events.Content(reply.Text)] : Array.Empty<byte[]>(),
            events.Finish(reply.FinishReason),
            .. includeUsage ? [events.Usage(reply.Usage, costUsd, estimatedCostUsd)] : Array.Empty<byte[]>(),
            ChunkEvents.Done,
        ];
        return parts.SelectMany(p => p).ToArray();
    }
}
