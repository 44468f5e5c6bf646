using System.Globalization;
using LlmCost.Router.Chat;

namespace LlmCost.Router.Routing;

/// <summary>
/// The prompt-complexity score behind <c>model: "auto"</c>: a weighted sum of four signals, each from 0 to 1, so
/// every decision can be explained from its parts (they are recorded with the request). Thresholds that map the
/// score to a tier come from the configuration; the weights are here.
/// </summary>
internal readonly record struct ComplexityScore(double Length, double Code, double Reasoning, double Output)
{
    public const double LengthWeight = 0.30;
    public const double CodeWeight = 0.25;
    public const double ReasoningWeight = 0.30;
    public const double OutputWeight = 0.15;

    /// <summary>Length scores 0 up to this many input tokens and 1 from <see cref="LongInputTokens"/>, on a log scale between.</summary>
    public const int ShortInputTokens = 64;

    public const int LongInputTokens = 32_000;

    /// <summary>A request for this many output tokens or more scores 1 on output.</summary>
    public const int LongOutputTokens = 4_096;

    /// <summary>How many distinct reasoning cues make the reasoning signal 1.</summary>
    public const int CuesForFullReasoning = 3;

    private static readonly string[] ReasoningCues =
    [
        "step by step", "step-by-step", "prove", "proof", "derive", "analyze", "analyse", "analysis", "compare",
        "trade-off", "tradeoff", "why", "reason about", "explain in detail", "evaluate", "design a", "architecture",
        "optimize", "optimise", "debug", "root cause", "plan for", "think through", "pros and cons", "justify",
    ];

    private static readonly string[] CodeMarkers =
    [
        "```", "def ", "class ", "function ", "public static", "#include", "import ", "select ", " from ", "=> ",
        "fn ", "func ", "return ", "});", "};", "console.", "printf(", "</", "var ", "const ", "let ",
    ];

    public double Value => Math.Round(
        (LengthWeight * Length) + (CodeWeight * Code) + (ReasoningWeight * Reasoning) + (OutputWeight * Output), 3);

    /// <summary>Scores the conversation: length over all of it; code and reasoning cues in the last user message (the task at hand).</summary>
    public static ComplexityScore Of(IReadOnlyList<ChatMessage> messages, int inputTokens, int? requestedOutputTokens)
    {
        var task = messages.LastOrDefault(m => m.Role == "user")?.Text ?? "";
        var lower = task.ToLowerInvariant();
        return new ComplexityScore(
            Length: LengthSignal(inputTokens),
            Code: CodeSignal(lower),
            Reasoning: Math.Min(1.0, ReasoningCues.Count(cue => lower.Contains(cue, StringComparison.Ordinal)) / (double)CuesForFullReasoning),
            Output: requestedOutputTokens is { } output ? Math.Min(1.0, output / (double)LongOutputTokens) : 0);
    }

    public static double LengthSignal(int inputTokens)
    {
        if (inputTokens <= ShortInputTokens)
        {
            return 0;
        }

        return Math.Min(1.0, Math.Log((double)inputTokens / ShortInputTokens) / Math.Log((double)LongInputTokens / ShortInputTokens));
    }

    /// <summary>A fenced block is code outright; otherwise each distinct marker adds a third.</summary>
    public static double CodeSignal(string lowerText)
    {
        if (lowerText.Contains("```", StringComparison.Ordinal))
        {
            return 1;
        }

        var markers = CodeMarkers.Count(m => lowerText.Contains(m, StringComparison.Ordinal));
        return Math.Min(1.0, markers / 3.0);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"score {Value:0.000} (length {Length:0.00}, code {Code:0.00}, reasoning {Reasoning:0.00}, output {Output:0.00})");
}
