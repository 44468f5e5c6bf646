using LlmCost.CostModel;

namespace LlmCost.Router.Streaming;

/// <summary>One ConverseStream event the router acts on; the others (messageStart, contentBlockStop) carry nothing it needs.</summary>
internal abstract record ConverseStreamEvent;

/// <summary><c>contentBlockDelta</c> with <c>delta.text</c>.</summary>
internal sealed record TextDelta(string Text) : ConverseStreamEvent;

/// <summary><c>messageStop</c>: Bedrock's stop reason (end_turn, max_tokens, stop_sequence…).</summary>
internal sealed record MessageStop(string StopReason) : ConverseStreamEvent;

/// <summary><c>metadata</c>: the usage Bedrock bills, and its own latency.</summary>
internal sealed record StreamMetadata(TokenUsage Usage, long? LatencyMs) : ConverseStreamEvent;
