using System.Diagnostics;
using Xunit.Abstractions;

namespace LlmCost.Router.Tests;

/// <summary>
/// Limits decided before expensive work (issue 14 item 3): counting stops once no route could take the input, and a
/// single enormous "word" (quadratic for byte-pair merging) is counted in chunks.
/// </summary>
public sealed class InputSizeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Chat_TenMegabytesOfText_413WithoutCountingItAll()
    {
        await using var router = await RouterHarness.StartAsync(TestConfig.Prod(maxMessageChars: 1_000_000));
        var message = $$$"""{"role":"user","content":"{{{string.Concat(Enumerable.Repeat("word ", 200_000))}}}"}""";
        var body = $$$"""{"model":"small-bedrock","messages":[{{{string.Join(",", Enumerable.Repeat(message, 10))}}}]}""";
        var clock = Stopwatch.StartNew();

        var result = await router.ChatAsync(body);

        output.WriteLine($"10 MB body refused in {clock.ElapsedMilliseconds} ms");
        result.Status.Should().Be(413);
        // The largest route (large) takes 100,000 tokens; calibration never goes below 0.5, so counting stops at 200,000.
        result.ErrorMessage.Should().Be("messages: more than 200000 input tokens (counting stops there: no route takes more than 100000), over route \"small-bedrock\"'s limit of 8000");
        router.Bedrock.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task Chat_OneHugeWord_CountedInChunksNotForMinutes()
    {
        await using var router = await RouterHarness.StartAsync(TestConfig.Prod(maxMessageChars: 1_000_000));
        var clock = Stopwatch.StartNew();

        var result = await router.ChatAsync($$$"""{"model":"small-bedrock","messages":[{"role":"user","content":"{{{new string('p', 300_000)}}}"}]}""");

        output.WriteLine($"300,000-letter word refused in {clock.ElapsedMilliseconds} ms");
        result.Status.Should().Be(413);
        // Before chunking, this one request took over 3 minutes of CPU on this machine.
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Count_ChunkedAtWhitespace_SameAsWhole()
    {
        var text = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 400));
        var messages = new[] { new Chat.ChatMessage("user", text) };

        // One pass of the tokenizer over the whole text, against the chunked count plus 3 + 3 framing tokens.
        var whole = RouterHarness.Counter.Count(text);
        RouterHarness.Counter.Count(messages).Should().Be(whole + 6);
        text.Length.Should().BeGreaterThan(Tokens.TokenCounter.MaxChunkChars * 4, "the text spans several chunks");
    }
}
