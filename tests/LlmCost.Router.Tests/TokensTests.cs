using LlmCost.Router.Chat;
using LlmCost.Router.Tokens;

namespace LlmCost.Router.Tests;

public sealed class TokensTests
{
    [Fact]
    public void Count_O200kBase_KnownTokenCounts()
    {
        var counter = RouterHarness.Counter;

        counter.Count("hi").Should().Be(1);
        counter.Count("Say hi").Should().Be(2);
        counter.Count("").Should().Be(0);
        counter.Count([new ChatMessage("user", "hi")]).Should().Be(7, "3 framing + 1 + 3 for the reply");
    }

    [Theory]
    [InlineData("us.anthropic.claude-3-7-sonnet-20250219-v1:0", "anthropic.claude")]
    [InlineData("anthropic.claude-3-5-haiku-20241022-v1:0", "anthropic.claude")]
    [InlineData("meta.llama3-1-8b-instruct-v1:0", "meta.llama3")]
    [InlineData("amazon.nova-lite-v1:0", "amazon.nova")]
    [InlineData("llama-3.1-8b-instruct", "llama")]
    [InlineData("arn:aws:bedrock:us-east-1:1:application-inference-profile/abc", "abc")]
    public void Family_ModelId_SharedPerVendorLine(string modelId, string family) =>
        TokenCalibration.Family(modelId).Should().Be(family);

    [Fact]
    public void Observe_ImplausibleOrTinySamples_Ignored()
    {
        var calibration = new TokenCalibration();

        calibration.Observe("f", counted: 10, reportedInput: 20).Should().BeFalse("under 32 counted tokens the framing dominates");
        calibration.Observe("f", counted: 100, reportedInput: 300).Should().BeFalse("a ratio of 3 is a misreport");
        calibration.Observe("f", counted: 100, reportedInput: 110).Should().BeTrue();
        calibration.Ratio("f").Should().Be(1.1);
        calibration.Estimate("f", 100).Should().Be(111, "ceil(100 x 1.1), in floating point 110.00000000000001");
        calibration.Samples("f").Should().Be(1);
    }

    [Fact]
    public void CollapseWhitespace_KeepsIndentationDropsTrailingAndExtraBlankLines()
    {
        InputTrimmer.CollapseWhitespace("def f():   \n    return  1\t\t+ 2\n\n\n\nend  ")
            .Should().Be("def f():\n    return 1 + 2\n\nend");
    }

    [Fact]
    public void Trim_RepeatedMessages_KeepsFirstAndAlwaysTheLast()
    {
        var trimmed = InputTrimmer.Trim([
            new ChatMessage("user", "context"), new ChatMessage("assistant", "ok"),
            new ChatMessage("user", "context"), new ChatMessage("user", "context")]);

        trimmed.Select(m => (m.Role, m.Text)).Should().Equal(("user", "context"), ("assistant", "ok"), ("user", "context"));
    }
}
