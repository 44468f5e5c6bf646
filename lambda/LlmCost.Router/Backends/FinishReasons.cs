namespace LlmCost.Router.Backends;

/// <summary>Backend stop reasons in OpenAI's vocabulary (stop, length, tool_calls, content_filter).</summary>
internal static class FinishReasons
{
    public static string FromBackend(string reason) => reason switch
    {
        "end_turn" or "stop_sequence" or "eos_token" or "stop" => "stop",
        "max_tokens" or "length" or "model_context_window_exceeded" => "length",
        "tool_use" or "tool_calls" => "tool_calls",
        "guardrail_intervened" or "content_filtered" or "content_filter" => "content_filter",
        _ => "stop",
    };
}
