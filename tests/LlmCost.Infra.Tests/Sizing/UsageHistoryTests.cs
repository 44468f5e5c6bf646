using System.IO.Compression;
using System.Text;
using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Tests.Sizing;

public sealed class UsageHistoryTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    private readonly string _dir = Directory.CreateTempSubdirectory("llm-cost-history-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>One request a minute: "timestamp,input_tokens,output_tokens" lines from <paramref name="start"/>.</summary>
    private static string EveryMinute(DateTimeOffset start, int count) =>
        "timestamp,input_tokens,output_tokens\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"{start.AddMinutes(i):yyyy-MM-ddTHH:mm:ssZ},700,250\n"));

    [Fact]
    public void Load_RatesComeFromTheSecondsEachHourCovers()
    {
        // 59 requests, one a minute, 10:15 to 11:13: covered time runs to 11:14 (one mean gap past the last).
        // Hour 10: 45 requests over 2,700 s; hour 11: 14 over 840 s; both 1/60 per second. Month: 1/60 x 2,628,000 s = 43,800.
        var path = Write("trace.csv", EveryMinute(Monday.AddHours(10).AddMinutes(15), 59));

        var profile = UsageHistory.Load(path, "trace.csv");

        profile.RequestsPerSecondByHour.Should().HaveCount(2).And.AllSatisfy(r => r.Should().BeApproximately(1m / 60m, 0.000000001m));
        profile.HourWeights.Should().Equal(0.75m, 0.233333333m);
        profile.RequestsPerMonth.Should().BeApproximately(43_800m, 0.01m);
        profile.History!.CoveredHours.Should().Be(0.9833m);
        (profile.History.HoursInSpan, profile.History.HoursWithData, profile.History.LongestGapHours).Should().Be((2, 2, 0));
    }

    [Fact]
    public void Load_EachHourKeepsItsOwnTokensPerRequest()
    {
        // Hour 10: 10 requests of 80 + 20 tokens; hour 11: 10 of 1,500 + 400; one every 6 minutes, so both hours are whole.
        var lines = Enumerable.Range(0, 20).Select(i => $"{Monday.AddHours(10).AddMinutes(6 * i).ToUnixTimeSeconds()},{(i < 10 ? 80 : 1500)},{(i < 10 ? 20 : 400)}");
        var path = Write("tokens.csv", "ts,prompt_tokens,completion_tokens\n" + string.Join("\n", lines) + "\n");

        var profile = UsageHistory.Load(path, "tokens.csv");

        profile.TokensPerSecond(0).Should().BeApproximately(1_000m / 3600m, 0.000000001m);
        profile.TokensPerSecond(1).Should().BeApproximately(19_000m / 3600m, 0.000000001m);
        (profile.InputTokensPerRequest, profile.OutputTokensPerRequest).Should().Be((790m, 210m));
    }

    [Fact]
    public void Load_QuotedFieldsWithCommasAndQuotes_KeepTheirColumns()
    {
        var path = Write("quoted.csv",
            "timestamp,prompt,input_tokens,output_tokens\n" +
            "2026-11-02T10:00:00Z,\"Hello, world, again\",100,10\n" +
            "2026-11-02T10:00:10Z,\"She said \"\"hi, there\"\"\",300,30\n");

        var profile = UsageHistory.Load(path, "quoted.csv");

        (profile.InputTokensPerRequest, profile.OutputTokensPerRequest).Should().Be((200m, 20m));
        profile.History!.Requests.Should().Be(2);
    }

    [Fact]
    public void Load_SemicolonDelimiter_IsDetected()
    {
        var path = Write("semi.csv", "timestamp;input_tokens;output_tokens\n2026-11-02T10:00:00Z;100;10\n2026-11-02T10:30:00Z;300;30\n");

        UsageHistory.Load(path, "semi.csv").InputTokensPerRequest.Should().Be(200m);
    }

    [Fact]
    public void Load_GzipHistory_IsReadByItsMagicBytesWhateverItsName()
    {
        var path = Path.Combine(_dir, "trace.csv");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(EveryMinute(Monday.AddHours(10), 60)));
        }

        var profile = UsageHistory.Load(path, "trace.csv");

        profile.History!.Requests.Should().Be(60);
        profile.RequestsPerMonth.Should().BeApproximately(43_800m, 0.01m);
    }

    [Fact]
    public void Load_OpenAiChatCompletions_NestedUsageCreatedFractionalSecondsAndWholeDecimals()
    {
        // 1793613600 is 2026-11-02 10:00:00 UTC.
        var path = Write("openai.jsonl",
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1793613600,\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":374.0,\"completion_tokens\":26,\"total_tokens\":400}}\n" +
            "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"created\":1793613660.5,\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":126,\"completion_tokens\":74,\"total_tokens\":200}}\n");

        var profile = UsageHistory.Load(path, "openai.jsonl");

        (profile.InputTokensPerRequest, profile.OutputTokensPerRequest).Should().Be((250m, 50m));
        profile.History!.First.Should().Be(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
        // Two requests 60.5 s apart stand for two gaps: 121 s covered.
        profile.History.End.Should().Be(new DateTimeOffset(2026, 11, 2, 10, 2, 1, TimeSpan.Zero));
    }

    [Fact]
    public void Load_JsonLines_UsageObjectWinsOverTopLevelTokens_EscapesAndBomAreRead()
    {
        var path = Path.Combine(_dir, "mixed.jsonl");
        File.WriteAllText(path,
            "{\"input_tokens\":1,\"output_tokens\":1,\"created\":1,\"timestamp\":\"2026-11-02T10:00:00\\u005A\",\"usage\":{\"prompt_tokens\":300,\"completion_tokens\":30},\"choices\":[{\"usage\":{\"prompt_tokens\":9}}]}\r\n" +
            "{\"timestamp\":\"2026-11-02T10:01:00Z\",\"input_tokens\":100,\"output_tokens\":10}\r\n",
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var profile = UsageHistory.Load(path, "mixed.jsonl");

        (profile.InputTokensPerRequest, profile.OutputTokensPerRequest).Should().Be((200m, 20m));
        profile.History!.First.Should().Be(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Load_RouterUsageRecordsAsJsonLines_WithEpochMilliseconds()
    {
        var path = Write("usage.jsonl", "{\"timestamp\":1793613600000,\"inputTokens\":50,\"outputTokens\":5,\"route\":\"small\"}\n\n{\"timestamp\":\"2026-11-02T10:00:30Z\",\"inputTokens\":150,\"outputTokens\":15}\n");

        var profile = UsageHistory.Load(path, "usage.jsonl");

        profile.History!.Requests.Should().Be(2);
        profile.InputTokensPerRequest.Should().Be(100m);
    }

    [Theory]
    [InlineData("timestamp,input_tokens,output_tokens\n2026-11-02T10:00:00Z,10,1\nyesterday,10,1\n", "line 3: field timestamp: \"yesterday\" is not a timestamp*")]
    [InlineData("timestamp,input_tokens,output_tokens\n2026-11-02T10:00:00Z,10,1\n2026-11-02T10:00:01Z,10,12.5\n", "line 3: field output_tokens: \"12.5\" is not a token count*")]
    [InlineData("timestamp,input_tokens,output_tokens\n2026-11-02T10:00:00Z,10,1\n2026-11-02T10:00:01Z\n", "line 3: expected 3 columns, got 1")]
    [InlineData("when,input_tokens,output_tokens\n1,1,1\n", "line 1: no timestamp column; expected one of timestamp, time, ts*")]
    public void Load_BadCsv_NamesFileLineAndField(string text, string expected)
    {
        var path = Write("bad.csv", text);

        var act = () => UsageHistory.Load(path, "bad.csv");

        act.Should().Throw<FormatException>().WithMessage($"{path}: {expected}");
    }

    [Theory]
    [InlineData("{\"timestamp\":1793613600000000,\"inputTokens\":1,\"outputTokens\":1}", "line 1: field timestamp: \"1793613600000000\" is not a timestamp in Unix seconds or milliseconds")]
    [InlineData("{\"timestamp\":1793613600,\"inputTokens\":1,\"outputTokens\":1}\n[1,2,3]", "line 2: expected a JSON object per line, got Array")]
    [InlineData("{\"object\":\"chat.completion\",\"created\":1793613600,\"usage\":{\"completion_tokens\":1}}", "line 1: no input tokens field; expected one of input_tokens*")]
    public void Load_MalformedJsonLine_NamesFileLineAndField(string line, string expected)
    {
        var path = Write("bad.jsonl", line + "\n");

        var act = () => UsageHistory.Load(path, "bad.jsonl");

        act.Should().Throw<FormatException>().WithMessage($"{path}: {expected}");
    }

    [Fact]
    public void Load_JsonArrayOrZip_IsRefusedSayingWhatIsRead()
    {
        var array = Write("array.json", "[{\"timestamp\":1793613600,\"inputTokens\":1,\"outputTokens\":1}]\n");
        var zip = Write("history.zip", "PK\u0003\u0004rest");

        ((Action)(() => UsageHistory.Load(array, "array.json"))).Should().Throw<FormatException>().WithMessage($"{array}: line 1: a JSON array is not read; write one JSON object per line*");
        ((Action)(() => UsageHistory.Load(zip, "history.zip"))).Should().Throw<FormatException>().WithMessage($"{zip}: a zip archive;*");
    }

    [Fact]
    public void Load_OneRequest_IsNotARate()
    {
        var path = Write("one.csv", "timestamp,input_tokens,output_tokens\n2026-11-02T10:00:00Z,10,1\n");

        var act = () => UsageHistory.Load(path, "one.csv");

        act.Should().Throw<FormatException>().WithMessage("one.csv: a rate needs at least two requests at different times*");
    }

    [Fact]
    public void Demand_RelativeUsagePath_IsFromTheCurrentDirectoryNotTheProject()
    {
        var path = Write("relative.csv", EveryMinute(Monday.AddHours(10), 60));
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);

        var profile = StackPlanning.Demand(Repo.Settings("prod"), Repo.Root, relative);

        profile.History!.Requests.Should().Be(60);
        profile.Source.Should().Be(relative);
    }
}
