using System.Diagnostics.CodeAnalysis;
using LlmCost.Router.Chat;
using Microsoft.ML.Tokenizers;

namespace LlmCost.Router.Tokens;

/// <summary>
/// Counts a conversation's input tokens with the real <c>o200k_base</c> tokenizer. No backend model uses exactly
/// this vocabulary, so the count is a measurement to be calibrated per model family (<see cref="TokenCalibration"/>),
/// not the bill.
/// </summary>
internal sealed class TokenCounter
{
    /// <summary>Framing per message (role and separators) and the reply's priming, as OpenAI counts chat input.</summary>
    public const int TokensPerMessage = 3;

    public const int TokensForReply = 3;

    private readonly Tokenizer _tokenizer;

    private TokenCounter(Tokenizer tokenizer) => _tokenizer = tokenizer;

    // The tokenizer finds its vocabulary assembly by type name; keep that type through trimming and Native AOT.
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, "Microsoft.ML.Tokenizers.O200kBaseTokenizerData", "Microsoft.ML.Tokenizers.Data.O200kBase")]
    public static TokenCounter CreateO200kBase() => new(TiktokenTokenizer.CreateForEncoding("o200k_base"));

    public int Count(string text) => text.Length == 0 ? 0 : _tokenizer.CountTokens(text);

    public int Count(IReadOnlyList<ChatMessage> messages)
    {
        var total = TokensForReply;
        foreach (var message in messages)
        {
            total += TokensPerMessage + Count(message.Text);
        }

        return total;
    }
}
