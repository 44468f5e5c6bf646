using LlmCost.Router.Chat;
using LlmCost.Router.Routing;
using LlmCost.Router.Streaming;

namespace LlmCost.Router.Backends;

/// <summary>
/// A backend that can stream: open the call (a refusal before the stream starts is a <see cref="BackendException"/>
/// like the buffered call's), then read its body as the router's stream events.
/// </summary>
internal interface IStreamingBackend
{
    /// <summary>False for a transport that does not stream yet (the buffered path serves).</summary>
    bool CanStream { get; }

    Task<HttpResponseMessage> OpenStreamAsync(RouteDecision decision, ChatRequest request, CancellationToken cancellationToken);

    IAsyncEnumerable<ConverseStreamEvent> ReadAsync(Stream body, CancellationToken cancellationToken);
}
