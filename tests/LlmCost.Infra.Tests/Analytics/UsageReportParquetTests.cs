using System.Numerics;
using LlmCost.Infra.Analytics;

namespace LlmCost.Infra.Tests.Analytics;

/// <summary>
/// <c>usage report</c> over Parquet as the delivery stream writes it (what <c>usage fetch</c> downloads): the same
/// queries give the same figures as over the router's JSON lines. The five records and their figures are the hand
/// computation of tests/LlmCost.Router.Tests/UsageReportTests.cs:
/// 1. 11-02 10:00 search/u1 small 1000/200 0.01; 2. 11-02 11:00 search/u2 medium 2000/500 0.02 output capped;
/// 3. 11-03 09:00 support/u1 small 500/100 0.005 fell back from medium; 4. 11-03 12:00 support/u3 none 0/0 0 refused;
/// 5. 12-01 00:00 search/u1 medium 3000/1000 0.04.
/// </summary>
public sealed class UsageReportParquetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llm-cost-parquet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static object?[][] Rows(IReadOnlyList<UsageTable> tables, string query) =>
        tables.Single(t => t.Query == query).Rows.Select(r => r.Select(Normal).ToArray()).ToArray();

    private static object? Normal(object? value) => value switch
    {
        BigInteger b => (decimal)b,
        long l => (decimal)l,
        int i => (decimal)i,
        double d => (decimal)d,
        _ => value,
    };

    [Fact]
    public void RecordLine_WithTheTemplatesOwnValues_IsTheRoutersLineByteForByte()
    {
        var template = File.ReadAllText(RouterRecords.TemplatePath).Trim();
        var line = RouterRecords.Line(new RouterRecord("2026-11-02T10:00:00Z", "search", "u1", "small", "amazon.nova-micro-v1:0", 1000, 200, 0.01m));

        // Only the request ID is made up per record.
        line.Replace("\"requestId\":\"req-1793613600-u1\"", "\"requestId\":\"c0a8e1f2-5b6d-4c3e-8f9a-1b2c3d4e5f60\"", StringComparison.Ordinal).Should().Be(template);
    }

    [Fact]
    public void Parquet_FromTheDeliveryStream_GivesTheHandComputedFigures()
    {
        // Named without .parquet, as Firehose names its objects: the magic bytes say what it is.
        var file = RouterRecords.WriteParquet(Path.Combine(_dir, "llm-cost-dev-usage-1-2026-11-02-10-05-00-abc"), RouterRecords.FiveRequests());

        var tables = UsageReport.Run([file], null, forecastP50Usd: 0.10m, forecastP90Usd: 0.20m);

        Rows(tables, "cost_by_app").Should().BeEquivalentTo(new object?[][]
        {
            ["search", 3m, 6000m, 1700m, 0.07m],
            ["support", 2m, 500m, 100m, 0.005m],
        }, o => o.WithStrictOrdering());
        Rows(tables, "cost_by_day").Should().BeEquivalentTo(new object?[][]
        {
            ["2026-11-02", 2m, 0.03m],
            ["2026-11-03", 2m, 0.005m],
            ["2026-12-01", 1m, 0.04m],
        }, o => o.WithStrictOrdering());
        Rows(tables, "limits_and_fallbacks").Should().BeEquivalentTo(new object?[][]
        {
            ["search", "medium", "ok", "", 1m, 1m, 0.02m],
            ["support", "none", "budget_exceeded", "", 0m, 1m, 0m],
            ["support", "small", "ok", "medium", 0m, 1m, 0.005m],
        }, o => o.WithStrictOrdering());
        Rows(tables, "spend_vs_forecast").Should().BeEquivalentTo(new object?[][]
        {
            ["2026-11", 4m, 0.035m, 0.10m, 0.20m, 0.35m],
            ["2026-12", 1m, 0.04m, 0.10m, 0.20m, 0.4m],
        }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void JsonLinesAndParquetTogether_AddUp()
    {
        var records = RouterRecords.FiveRequests();
        var json = RouterRecords.WriteJsonLines(Path.Combine(_dir, "recent.jsonl"), records.Take(2));
        var parquet = RouterRecords.WriteParquet(Path.Combine(_dir, "dt=2026-11-03", "older.parquet"), records.Skip(2));

        var tables = UsageReport.Run([json, parquet], "cost_by_app", 0m, 0m);

        // search: records 1, 2 (JSON) and 5 (Parquet); support: 3 and 4 (Parquet).
        Rows(tables, "cost_by_app").Should().BeEquivalentTo(new object?[][]
        {
            ["search", 3m, 6000m, 1700m, 0.07m],
            ["support", 2m, 500m, 100m, 0.005m],
        }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void JsonLines_EveryQuery_GoThroughOneParquetCopy_WithTheSameFigures()
    {
        // Several queries over JSON lines parse them once into a temporary Parquet copy: the figures do not change.
        var json = RouterRecords.WriteJsonLines(Path.Combine(_dir, "records.jsonl"), RouterRecords.FiveRequests());

        var tables = UsageReport.Run([json], null, forecastP50Usd: 0.10m, forecastP90Usd: 0.20m);

        tables.Should().HaveCount(8);
        Rows(tables, "cost_by_user").Should().BeEquivalentTo(new object?[][]
        {
            ["search", "u1", 2m, 4000m, 1200m, 0.05m],
            ["search", "u2", 1m, 2000m, 500m, 0.02m],
            ["support", "u1", 1m, 500m, 100m, 0.005m],
            ["support", "u3", 1m, 0m, 0m, 0m],
        }, o => o.WithStrictOrdering());
        Rows(tables, "limits_and_fallbacks").Should().BeEquivalentTo(new object?[][]
        {
            ["search", "medium", "ok", "", 1m, 1m, 0.02m],
            ["support", "none", "budget_exceeded", "", 0m, 1m, 0m],
            ["support", "small", "ok", "medium", 0m, 1m, 0.005m],
        }, o => o.WithStrictOrdering());
        Rows(tables, "most_expensive_requests").Select(r => (r[0], r[8])).Should().Equal(
            ("2026-12-01T00:00:00.000Z", 0.04m), ("2026-11-02T11:00:00.000Z", 0.02m), ("2026-11-02T10:00:00.000Z", 0.01m),
            ("2026-11-03T09:00:00.000Z", 0.005m), ("2026-11-03T12:00:00.000Z", 0m));
    }

    [Fact]
    public void MalformedJsonLines_AreRefusedNamingTheFile()
    {
        var json = Path.Combine(_dir, "broken.jsonl");
        File.WriteAllText(json, "{\"recordType\":\"llm-cost.usage\",\"inputTokens\":\n");

        var act = () => UsageReport.Run([json], null, 0m, 0m);

        act.Should().Throw<FormatException>().WithMessage($"*{json}*");
    }

    [Fact]
    public void ParquetWithoutALaterField_ReadsItAsNull()
    {
        // Objects written before a field existed lack its column; the report still runs and the field is NULL.
        var file = RouterRecords.WriteParquet(Path.Combine(_dir, "old.parquet"), RouterRecords.FiveRequests(), "cachereadtokens", "limithits");

        var tables = UsageReport.Run([file], "token_trend", 0m, 0m);

        Rows(tables, "token_trend")[0].Should().Equal("2026-11-02", 2m, 3000m, 700m, null, 1500m, 350m);
    }

    [Fact]
    public void BrokenParquet_IsRefusedNamingTheFile()
    {
        var file = Path.Combine(_dir, "broken.parquet");
        File.WriteAllText(file, "PAR1 but nothing a Parquet reader accepts");

        var act = () => UsageReport.Run([file], "cost_by_app", 0m, 0m);

        act.Should().Throw<FormatException>().WithMessage($"*{file}*");
    }
}
