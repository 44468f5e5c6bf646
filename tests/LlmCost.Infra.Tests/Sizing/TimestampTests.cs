using LlmCost.Infra.Sizing.History;

namespace LlmCost.Infra.Tests.Sizing;

public sealed class TimestampTests
{
    [Theory]
    [InlineData("2026-11-02 10:00:00.5", 1793613600.5)]
    [InlineData("2026-11-02T10:00:00Z", 1793613600d)]
    [InlineData("2026-11-02T10:00:00+02:00", 1793606400d)]
    [InlineData("2026-11-02T10:00:00-0130", 1793619000d)]
    [InlineData("2024-02-29T00:00:00Z", 1709164800d)]
    [InlineData("Mon, 02 Nov 2026 10:00:00 GMT", 1793613600d)]
    [InlineData("1793613600", 1793613600d)]
    [InlineData("1793613600.25", 1793613600.25)]
    [InlineData("1793613600250", 1793613600.25)]
    public void UnixSeconds_ReadsIsoFastPathUnixAndOtherDates(string text, double expected)
    {
        HistoryFields.UnixSeconds(text, "f.csv", 2, "ts").Should().BeApproximately(expected, 0.000001);
    }

    [Theory]
    [InlineData("2026-02-30T00:00:00Z")]
    [InlineData("2026-11-02T25:00:00Z")]
    [InlineData("-5")]
    public void UnixSeconds_RefusesImpossibleTimes_NamingFileLineAndField(string text)
    {
        var act = () => HistoryFields.UnixSeconds(text, "f.csv", 2, "ts");

        act.Should().Throw<FormatException>().WithMessage($"f.csv: line 2: field ts: \"{text}\" is not a timestamp*");
    }

    [Theory]
    [InlineData("374", 374L)]
    [InlineData("374.0", 374L)]
    [InlineData("0", 0L)]
    public void Tokens_AcceptWholeNumbersWrittenAsDecimals(string text, long expected)
    {
        HistoryFields.Tokens(text, "f.csv", 2, "n").Should().Be(expected);
    }
}
