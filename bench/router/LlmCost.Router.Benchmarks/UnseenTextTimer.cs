using System.Diagnostics;
using System.Globalization;
using System.Text;
using LlmCost.Router.Tokens;

namespace LlmCost.Router.Benchmarks;

/// <summary>
/// The same per-request work as <see cref="RouterWorkBenchmarks"/>, on text the tokenizer has never seen: every
/// request is a fresh prompt of random pseudo-words, so the tokenizer's per-word cache (which a warm Lambda keeps
/// across requests, and which BenchmarkDotNet's repeated input always hits) cannot help. A worst case for counting.
/// </summary>
internal static class UnseenTextTimer
{
    public static int Run(int requestsPerSize)
    {
        var counter = TokenCounter.CreateO200kBase();
        var (selector, app, limits) = RouterWorkBenchmarks.Router(counter);
        var random = new Random(7);
        foreach (var tokens in new[] { 1_000, 10_000, 100_000 })
        {
            var events = Enumerable.Range(0, requestsPerSize + 3).Select(_ => RouterWorkBenchmarks.Event(PseudoWords(random, tokens))).ToList();
            var samples = new List<double>();
            for (var i = 0; i < events.Count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                RouterWorkBenchmarks.Work(selector, app, limits, events[i]);
                if (i >= 3)
                {
                    samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            samples.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"unseen text, about {tokens,7} tokens: median {samples[samples.Count / 2],8:0.000} ms, p90 {samples[(int)(samples.Count * 0.9)],8:0.000} ms ({samples.Count} requests)"));
        }

        return 0;
    }

    /// <summary>Random lower-case words of 3 to 9 letters: about 2 to 3 o200k tokens each, almost all distinct.</summary>
    private static string PseudoWords(Random random, int tokens)
    {
        var text = new StringBuilder();
        for (var i = 0; i < tokens * 2 / 5; i++)
        {
            for (var j = random.Next(3, 10); j > 0; j--)
            {
                text.Append((char)('a' + random.Next(26)));
            }

            text.Append(' ');
        }

        return text.ToString();
    }
}
