using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Tests.Sizing;

public sealed class UsageHistoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llm-cost-history-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Read_AzureTraceShapedCsv_BuildsAnHourByHourProfileOverTheSpan()
    {
        // Monday 2026-11-02 10:00 UTC: 3 requests; Tuesday 11:00: 1 request. 26 hours from first to last.
        var path = Write("trace.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n2026-11-02T10:00:01Z,100,10\n2026-11-02T10:30:00Z,200,20\n2026-11-02T10:59:59Z,300,30\n2026-11-03T11:15:00Z,400,40\n");

        var profile = UsageHistory.ToProfile(UsageHistory.Read(path), "trace.csv");

        profile.RequestsPerSecondByHour.Should().HaveCount(26);
        profile.RequestsPerSecondByHour[0].Should().Be(3m / 3600m);
        profile.RequestsPerSecondByHour[25].Should().Be(1m / 3600m);
        profile.RequestsPerSecondByHour.Sum().Should().Be(4m / 3600m);
        profile.RequestsPerMonth.Should().BeApproximately(4m * 730m / 26m, 0.000001m);
        profile.InputTokensPerRequest.Should().Be(250m);
        profile.OutputTokensPerRequest.Should().Be(25m);
    }

    [Fact]
    public void Read_RouterUsageRecordsAsJsonLines_WithEpochMilliseconds()
    {
        var path = Write("usage.jsonl", "{\"timestamp\":1793613600000,\"inputTokens\":50,\"outputTokens\":5,\"route\":\"small\"}\n\n{\"timestamp\":\"2026-11-02T10:00:00Z\",\"inputTokens\":150,\"outputTokens\":15}\n");

        var requests = UsageHistory.Read(path);

        requests.Should().HaveCount(2);
        requests[0].Timestamp.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1793613600000));
        requests[1].InputTokens.Should().Be(150);
    }

    [Fact]
    public void Read_BadLine_NamesFileAndLine()
    {
        var path = Write("bad.csv", "timestamp,input_tokens,output_tokens\n2026-11-02T10:00:00Z,10,1\nyesterday,10,1\n");

        var act = () => UsageHistory.Read(path);

        act.Should().Throw<FormatException>().WithMessage($"{path}: line 3: \"yesterday\" is not a timestamp*");
    }

    [Fact]
    public void Read_MissingColumn_SaysWhichNamesWork()
    {
        var path = Write("cols.csv", "when,input_tokens,output_tokens\n1,1,1\n");

        var act = () => UsageHistory.Read(path);

        act.Should().Throw<FormatException>().WithMessage($"{path}: line 1: no timestamp column; expected one of timestamp, time, ts*");
    }

    [Theory]
    [InlineData("{\"timestamp\":1793613600000000,\"inputTokens\":1,\"outputTokens\":1}", "line 1: \"1793613600000000\" is not a timestamp in Unix seconds or milliseconds")]
    [InlineData("{\"timestamp\":1793613600,\"inputTokens\":1,\"outputTokens\":1}\n[1,2,3]", "line 2: expected a JSON object per line, got Array")]
    public void Read_MalformedJsonLine_NamesTheLine(string line, string expected)
    {
        var path = Write("bad.jsonl", line + "\n");

        var act = () => UsageHistory.Read(path);

        act.Should().Throw<FormatException>().WithMessage($"{path}: {expected}");
    }

    [Fact]
    public void ToProfile_StrayTimestampYearsAway_IsRefusedNotAllocated()
    {
        var requests = new[] { new HistoricalRequest(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), 1, 1), new HistoricalRequest(new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero), 1, 1) };

        var act = () => UsageHistory.ToProfile(requests, "h.csv");

        act.Should().Throw<FormatException>().WithMessage("h.csv: the history spans * days; at most 1830 are read*");
    }
}
