using LlmCost.Router.Chat;
using LlmCost.Router.Routing;

namespace LlmCost.Router.Backends;

/// <summary>One call to one backend, no retries (see <see cref="BackendCaller"/>). Throws <see cref="BackendException"/>.</summary>
internal interface IChatBackend
{
    Task<BackendReply> SendAsync(RouteDecision decision, ChatRequest request, CancellationToken cancellationToken);
}
