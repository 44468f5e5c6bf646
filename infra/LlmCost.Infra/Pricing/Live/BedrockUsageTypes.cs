namespace LlmCost.Infra.Pricing.Live;

/// <summary>
/// How a Bedrock model appears in the Price List: its usage type is <c>&lt;REGION&gt;-&lt;stem&gt;-input-tokens</c>,
/// <c>-output-tokens</c>, <c>-cache-read-input-token-count</c>, <c>-cache-write-input-token-count</c>, priced per 1K tokens.
/// Stems cited in shared/reference (Llama3-1-70B, Mixtral8x7B, MistralLarge) are known; the others follow the same
/// pattern and are unverified. Models absent here (Anthropic: Marketplace-billed, not in the Price List API) keep the
/// snapshot price, and the plan says so.
/// </summary>
internal static class BedrockUsageTypes
{
    public static readonly IReadOnlyDictionary<string, string> Stems = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["meta.llama3-1-70b-instruct-v1:0"] = "Llama3-1-70B",
        ["meta.llama3-1-8b-instruct-v1:0"] = "Llama3-1-8B",
        ["mistral.mixtral-8x7b-instruct-v0:1"] = "Mixtral8x7B",
        ["mistral.mistral-large-2402-v1:0"] = "MistralLarge",
        ["amazon.nova-micro-v1:0"] = "NovaMicro",
        ["amazon.nova-lite-v1:0"] = "NovaLite",
        ["amazon.nova-pro-v1:0"] = "NovaPro",
    };

    public const string Input = "-input-tokens";
    public const string Output = "-output-tokens";
    public const string CacheRead = "-cache-read-input-token-count";
    public const string CacheWrite = "-cache-write-input-token-count";

    /// <summary>True when <paramref name="usageType"/> is the stem's dimension, with or without a region prefix.</summary>
    public static bool Matches(string usageType, string stem, string dimension) =>
        usageType == stem + dimension || usageType.EndsWith("-" + stem + dimension, StringComparison.Ordinal);
}
