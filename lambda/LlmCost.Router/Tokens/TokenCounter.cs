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

    private readonly Task<Tokenizer> _tokenizer;

    private TokenCounter(Task<Tokenizer> tokenizer) => _tokenizer = tokenizer;

    /// <summary>Loads the vocabulary now (about 150 ms: 200k entries to decompress and index).</summary>
    public static TokenCounter CreateO200kBase() => new(Task.FromResult(LoadO200kBase()));

    /// <summary>
    /// Loads the vocabulary on a thread-pool thread; the first count waits for it. An on-demand cold start then polls
    /// for its first request while the vocabulary loads, and requests refused before counting never wait.
    /// </summary>
    public static TokenCounter LoadO200kBaseInBackground() => new(Task.Run(LoadO200kBase));

    /// <summary>A counter over a tokenizer that is loading (or failed to): for tests of those states.</summary>
    internal static TokenCounter Over(Task<Tokenizer> tokenizer) => new(tokenizer);

    // The tokenizer finds its vocabulary assembly by type name; keep that type through trimming and Native AOT.
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, "Microsoft.ML.Tokenizers.O200kBaseTokenizerData", "Microsoft.ML.Tokenizers.Data.O200kBase")]
    private static Tokenizer LoadO200kBase() => TiktokenTokenizer.CreateForEncoding("o200k_base");

    /// <summary>Completes when the vocabulary is loaded: await it rather than block a thread-pool thread on the first count.</summary>
    public Task Ready => _tokenizer;

    private Tokenizer Tokenizer => _tokenizer.IsCompletedSuccessfully ? _tokenizer.Result : _tokenizer.GetAwaiter().GetResult();

    public int Count(string text) => text.Length == 0 ? 0 : Tokenizer.CountTokens(text);

    /// <summary>
    /// The count, or a number above <paramref name="cap"/> as soon as the count passes it: counting stops there, so a
    /// huge input costs the work of <paramref name="cap"/> tokens, not of its whole text.
    /// </summary>
    public int Count(IReadOnlyList<ChatMessage> messages, int cap)
    {
        var total = TokensForReply;
        foreach (var message in messages)
        {
            total += TokensPerMessage;
            if (total > cap)
            {
                return total;
            }

            if (message.Text.Length == 0)
            {
                continue;
            }

            var text = message.Text;
            for (var start = 0; start < text.Length;)
            {
                var length = ChunkLength(text, start);
                var allowed = cap - total + 1;
                var end = Tokenizer.GetIndexByTokenCount(text.AsSpan(start, length), allowed, out _, out var counted);
                total += counted;
                if (end < length)
                {
                    // More tokens follow than the cap leaves room for.
                    return Math.Max(total, cap + 1);
                }

                if (total > cap)
                {
                    return total;
                }

                start += length;
            }
        }

        return total;
    }

    /// <summary>
    /// Byte-pair merging is quadratic in the length of one pre-token: a 300,000-letter "word" takes minutes. Counting
    /// goes in chunks of at most <see cref="MaxChunkChars"/>, cut before whitespace where there is some (o200k attaches a
    /// space to the word after it, so such a cut changes no token); a cut inside a longer run adds at most a token.
    /// </summary>
    public const int MaxChunkChars = 1024;

    private static int ChunkLength(string text, int start)
    {
        var rest = text.Length - start;
        if (rest <= MaxChunkChars)
        {
            return rest;
        }

        var cut = text.LastIndexOfAny([' ', '\n', '\t'], start + MaxChunkChars - 1, MaxChunkChars - 1);
        var length = cut > start ? cut - start : MaxChunkChars;
        // Keep a surrogate pair whole.
        return char.IsHighSurrogate(text[start + length - 1]) ? length - 1 : length;
    }

    public int Count(IReadOnlyList<ChatMessage> messages) => Count(messages, int.MaxValue - 1);
}
