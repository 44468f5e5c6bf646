namespace LlmCost.Infra.Tests;

/// <summary>
/// Each stack's routes, in stack-file order, with their price per 1M tokens written out by hand from the stack files
/// and the embedded snapshot (infra/LlmCost.Infra/Pricing/price-snapshot.json, asOf 2026-09-30): expectations for the
/// printed program that no code under test computed.
/// </summary>
internal static class StackFileLiterals
{
    // Nova Micro 0.035/0.14, Nova Lite 0.06/0.24 (snapshot, us-east-1).
    private static readonly (string Route, decimal Input, decimal Output)[] Dev = [("small", 0.035m, 0.14m), ("medium", 0.06m, 0.24m)];

    // Haiku 4.5 through the us profile: 1/5 global plus 10% for a geographic profile = 1.10/5.50.
    private static readonly (string Route, decimal Input, decimal Output)[] Staging = [("small", 0.035m, 0.14m), ("medium", 0.06m, 0.24m), ("large", 1.10m, 5.50m)];

    // small: ml.inf2.xlarge at 0.99/h over 2000 tokens/s x 3600 s x 0.7 = 5,040,000 tokens -> 0.99 / 5.04 = 0.196429 per 1M.
    // small-bedrock: Llama 3.1 8B 0.22/0.22 (snapshot). large: Sonnet 4.5 through the us profile, 3/15 plus 10% = 3.30/16.50.
    private static readonly (string Route, decimal Input, decimal Output)[] Prod =
        [("small", 0.196429m, 0.196429m), ("small-bedrock", 0.22m, 0.22m), ("medium", 0.06m, 0.24m), ("large", 3.30m, 16.50m)];

    public static IReadOnlyList<(string Route, decimal Input, decimal Output)> RoutePrices(string stack) => stack switch
    {
        "dev" => Dev,
        "staging" => Staging,
        "prod" => Prod,
        _ => throw new ArgumentOutOfRangeException(nameof(stack), stack, "no hand-written prices for this stack"),
    };

    public static IEnumerable<string> Routes(string stack) => RoutePrices(stack).Select(r => r.Route);

    /// <summary>The stack file's <c>llm-cost:apps</c>, in order.</summary>
    public static IReadOnlyList<string> Apps(string stack) => stack switch
    {
        "dev" => ["playground"],
        "staging" => ["support-bot", "search"],
        "prod" => ["support-bot", "search", "internal-tools"],
        _ => throw new ArgumentOutOfRangeException(nameof(stack), stack, "no hand-written apps for this stack"),
    };
}
