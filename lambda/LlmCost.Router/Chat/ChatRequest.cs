namespace LlmCost.Router.Chat;

/// <summary>One message with its text parts joined (the router serves text only).</summary>
internal sealed record ChatMessage(string Role, string Text);

/// <summary>A validated OpenAI chat-completions request: only what the router understands and forwards.</summary>
/// <param name="Stream">Answer as server-sent events (<c>stream: true</c>); <paramref name="IncludeUsage"/> adds the usage chunk.</param>
/// <param name="MaxTokens">What the client asked for (<c>max_completion_tokens</c>, else <c>max_tokens</c>), before the route's cap.</param>
internal sealed record ChatRequest(
    string Model,
    IReadOnlyList<ChatMessage> Messages,
    int? MaxTokens,
    double? Temperature,
    double? TopP,
    IReadOnlyList<string> Stop,
    string? User,
    bool Stream = false,
    bool IncludeUsage = false);
