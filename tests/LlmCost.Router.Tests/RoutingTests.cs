using LlmCost.CostModel;
using LlmCost.Router.Chat;
using LlmCost.Router.Configuration;
using LlmCost.Router.Routing;
using LlmCost.Router.Tokens;

namespace LlmCost.Router.Tests;

/// <summary>Routing decisions for a table of prompts, and the limits applied to each route.</summary>
public sealed class RoutingTests
{
    private static readonly string Document = string.Join(' ', Enumerable.Range(0, 2500).Select(i => $"clause{i % 97} of the agreement"));

    private static (RouteSelector Selector, FleetHealth Fleet) Selector(RouterConfiguration? config = null, TimeProvider? time = null)
    {
        var fleet = new FleetHealth(time ?? TimeProvider.System);
        return (new RouteSelector(new RouteTable(config ?? TestConfig.Prod()), RouterHarness.Counter, new TokenCalibration(), fleet), fleet);
    }

    private static AppConfiguration Support => App("support-bot");

    private static AppConfiguration App(string name) => TestConfig.Prod().Apps.Single(a => a.Name == name);

    private static ChatRequest Ask(string model, string text, int? maxTokens = null, params ChatMessage[] before) =>
        new(model, [.. before, new ChatMessage("user", text)], maxTokens, null, null, [], null);

    public static TheoryData<string, string, int?, string> AutoTable() => new()
    {
        { "greeting", "hi", null, "small" },
        { "short factual question", "What is the capital of France?", null, "small" },
        { "one reasoning cue", "Why is the sky blue?", null, "small" },
        { "code with reasoning", "```python\ndef f(x):\n    return x * 2\n```\nExplain step by step why this works and compare it to a lambda.", null, "medium" },
        { "reasoning and a long answer", "Analyze the trade-off between consistency and availability, compare designs, and justify your choice.", 4096, "medium" },
        { "long document, analysis, code, long answer", Document + "\nAnalyze this contract step by step, compare clauses, and write a Python function: ```def check(): pass```", 4096, "large" },
    };

    [Theory]
    [MemberData(nameof(AutoTable))]
    public void Select_AutoPrompt_PicksTheTierForItsScore(string name, string prompt, int? maxTokens, string route)
    {
        var decision = Selector().Selector.Select(Ask("auto", prompt, maxTokens), Support);

        decision.Route.Name.Should().Be(route, name);
        decision.Reason.Should().StartWith($"auto: score {decision.Score!.Value.Value:0.000} (length ");
        decision.Reason.Should().Contain($"-> tier {route} (maxScore ");
    }

    [Fact]
    public void Score_Components_AreTheDocumentedWeightedSum()
    {
        var score = ComplexityScore.Of([new ChatMessage("user", "```x```\nExplain step by step why, and compare.")], 64, 2048);

        score.Length.Should().Be(0);
        score.Code.Should().Be(1);
        score.Reasoning.Should().Be(1, "three cues: step by step, why, compare");
        score.Output.Should().Be(0.5);
        score.Value.Should().Be(0.625, "0.30 x 0 + 0.25 x 1 + 0.30 x 1 + 0.15 x 0.5");
        ComplexityScore.LengthSignal(32_000).Should().Be(1);
        ComplexityScore.LengthSignal(64).Should().Be(0);
        ComplexityScore.LengthSignal(4525).Should().BeApproximately(0.685, 0.001, "ln(4525/64) / ln(500)");
    }

    [Fact]
    public void Select_ExplicitRouteNameOrModelId_Honoured()
    {
        var (selector, _) = Selector();

        selector.Select(Ask("large", "hi"), Support).Route.Name.Should().Be("large");
        selector.Select(Ask("amazon.nova-lite-v1:0", "hi"), Support).Route.Name.Should().Be("medium");
        selector.Select(Ask("large", "hi"), Support).Reason.Should().Be("explicit: large");
    }

    [Fact]
    public void Select_BedrockRouteWithAppProfile_InvokesThroughTheProfile()
    {
        var (selector, _) = Selector();

        selector.Select(Ask("large", "hi"), Support).InvokeId.Should().Be(TestConfig.SupportLargeProfile);
        // search has no profiles of its own: large's model through the us cross-region profile (stacks/Pulumi.prod.yaml:
        // model anthropic.claude-sonnet-4-5-20250929-v1:0, crossRegion us).
        selector.Select(Ask("large", "hi"), App("search")).InvokeId.Should().Be("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    }

    [Fact]
    public void Select_FleetThrottled_FallbackWithTheReason()
    {
        var (selector, fleet) = Selector();
        fleet.Throttled("llm-cost-prod-fleet", TimeSpan.FromSeconds(10));

        var decision = selector.Select(Ask("auto", "hi"), Support);

        decision.Route.Name.Should().Be("small-bedrock");
        decision.Reason.Should().Contain("; fleet llm-cost-prod-fleet throttled until ").And.EndWith(" -> fallback small-bedrock");
    }

    [Fact]
    public void Select_FleetHealthy_FleetWithBothPricesInTheReason()
    {
        var decision = Selector().Selector.Select(Ask("small", "hi"), Support);

        decision.Route.Name.Should().Be("small");
        // The fleet's table price: ml.inf2.xlarge on SageMaker at 0.99 USD/h (price snapshot) over 2000 tokens/s x 3600 s x 0.7
        // utilisation (stack file) = 5.04M tokens/h -> 0.196428.. = 0.196429 per 1M; small-bedrock is llama 3.1 8b at 0.22/0.22.
        decision.Reason.Should().Be("explicit: small; fleet healthy (committed capacity; table 0.196429/0.196429 vs small-bedrock 0.22/0.22 USD per 1M in/out)");
    }

    [Fact]
    public void FleetHealth_ThreeFailuresOpenThenRecoverAfterTheWindow()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero));
        var fleet = new FleetHealth(time);

        fleet.Failed("f", "timeout");
        fleet.Failed("f", "http_500");
        fleet.Unavailable("f").Should().BeNull("two failures do not open it");
        fleet.Failed("f", "http_503");
        fleet.Unavailable("f").Should().Be("unhealthy (3 failures in a row, last: http_503) until 06:00:30Z");
        time.Advance(TimeSpan.FromSeconds(31));
        fleet.Unavailable("f").Should().BeNull("the next request probes it");
        fleet.Succeeded("f");
        fleet.Failed("f", "timeout");
        fleet.Unavailable("f").Should().BeNull("a success reset the count");
    }

    [Fact]
    public void Select_AutoInputTooLongForTier_EscalatesToATierThatTakesIt()
    {
        var plain = string.Concat(Enumerable.Repeat("the cat sat on the mat ", 1700));

        var decision = Selector().Selector.Select(Ask("auto", plain), Support);

        decision.EstimatedInputTokens.Should().BeGreaterThan(8000);
        decision.Route.Name.Should().Be("medium");
        decision.LimitHits.Should().Equal("input_escalated:small->medium");
        decision.Reason.Should().Contain($"input of about {decision.EstimatedInputTokens} tokens is over small's 8000 -> medium");
    }

    [Fact]
    public void Select_InputOverLimitOnTrimmingRoute_TrimsWhitespaceAndRepeatedMessages()
    {
        var config = TestConfig.Prod() with { Routes = [.. TestConfig.Prod().Routes.Select(r => r.Name == "large" ? r with { MaxInputTokens = 300 } : r)] };
        var pasted = string.Join("\n\n\n\n", Enumerable.Range(0, 40).Select(i => $"line {i}      with     gaps   "));
        var request = Ask("large", "Summarise the above.", null, new ChatMessage("user", pasted), new ChatMessage("user", pasted));

        var decision = Selector(config).Selector.Select(request, Support);

        decision.Route.Name.Should().Be("large");
        decision.LimitHits.Should().ContainSingle().Which.Should().StartWith("input_trimmed:");
        decision.Messages.Should().HaveCount(2, "the repeated paste is sent once");
        decision.Messages[0].Text.Should().StartWith("line 0 with gaps\n\nline 1 with gaps");
        decision.EstimatedInputTokens.Should().BeLessThanOrEqualTo(300);
    }

    [Fact]
    public void Select_InputOverLimitAfterTrimming_413WithTheNumbers()
    {
        var config = TestConfig.Prod() with { Routes = [.. TestConfig.Prod().Routes.Select(r => r.Name == "large" ? r with { MaxInputTokens = 50 } : r)] };
        var request = Ask("large", string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}")));

        var act = () => Selector(config).Selector.Select(request, Support);

        var error = act.Should().Throw<RequestErrorException>().Which.Error;
        error.Status.Should().Be(413);
        error.Code.Should().Be("context_length_exceeded");
        error.Message.Should().MatchRegex("^messages: about \\d+ input tokens \\(counted \\d+ x calibration 1\\.000\\) \\(after trimming whitespace and repeated messages: about \\d+\\), over route \"large\"'s limit of 50$");
    }

    [Fact]
    public void Select_MaxTokensOverRouteCap_CappedAndRecorded()
    {
        var (selector, _) = Selector();

        var capped = selector.Select(Ask("medium", "hi", maxTokens: 100_000), Support);
        var within = selector.Select(Ask("medium", "hi", maxTokens: 50), Support);
        var absent = selector.Select(Ask("medium", "hi"), Support);

        capped.MaxOutputTokens.Should().Be(2048);
        capped.LimitHits.Should().Equal("max_tokens_capped:100000->2048");
        within.MaxOutputTokens.Should().Be(50);
        within.LimitHits.Should().BeEmpty();
        absent.MaxOutputTokens.Should().Be(2048);
    }

    [Fact]
    public void EstimatedCost_IsWorstCaseAtTheRoutesPrices()
    {
        var decision = Selector().Selector.Select(Ask("large", "hi", maxTokens: 1000), Support);

        // "hi" is 1 token: 3 + 1 + 3 = 7 input tokens; Claude Sonnet 4.5 through a us. profile at 3.3 in / 16.5 out per 1M
        // (price snapshot): 7 x 3.3 + 1000 x 16.5 = 23.1 + 16500 = 16523.1 USD per 1M.
        decision.EstimatedInputTokens.Should().Be(7);
        decision.EstimatedCostUsd.Should().Be(0.0165231m);
    }

    /// <summary>A clock the test moves.</summary>
    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
