using System.IO.Compression;
using System.Numerics;
using System.Text;
using LlmCost.Infra.Analytics;
using LlmCost.Router.Usage;

namespace LlmCost.Router.Tests;

/// <summary>
/// Every analytics query (the SQL files behind Athena's named queries) run by DuckDB over records the router's own
/// writer wrote; each figure is worked out by hand from the five records below.
/// </summary>
public sealed class UsageReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llm-cost-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static UsageRecord Record(string at, string app, string user, string route, string model, long input, long output, decimal cost)
    {
        var record = UsageRecordSchemaTests.FullyPopulated(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), input, output);
        (record.App, record.User, record.Route, record.Model, record.CostUsd, record.FallbackFrom) = (app, user, route, model, cost, null);
        record.CacheReadTokens = 0;
        record.LimitHits.Clear();
        return record;
    }

    /// <summary>
    /// 1. 11-02 10:00 search/u1 small  1000/200  0.01
    /// 2. 11-02 11:00 search/u2 medium 2000/500  0.02  output capped
    /// 3. 11-03 09:00 support/u1 small  500/100  0.005 fell back from medium
    /// 4. 11-03 12:00 support/u3 none     0/0    0     refused: budget exceeded
    /// 5. 12-01 00:00 search/u1 medium 3000/1000 0.04
    /// </summary>
    private string WriteRecords()
    {
        var records = new[]
        {
            Record("2026-11-02T10:00:00Z", "search", "u1", "small", "amazon.nova-micro-v1:0", 1000, 200, 0.01m),
            Record("2026-11-02T11:00:00Z", "search", "u2", "medium", "amazon.nova-lite-v1:0", 2000, 500, 0.02m),
            Record("2026-11-03T09:00:00Z", "support", "u1", "small", "amazon.nova-micro-v1:0", 500, 100, 0.005m),
            Record("2026-11-03T12:00:00Z", "support", "u3", "none", "none", 0, 0, 0m),
            Record("2026-12-01T00:00:00Z", "search", "u1", "medium", "amazon.nova-lite-v1:0", 3000, 1000, 0.04m),
        };
        records[1].LimitHits.Add("max_tokens_capped:4096->1024");
        records[2].FallbackFrom = "medium";
        (records[3].Outcome, records[3].Status) = (LlmCost.CostModel.Vocabulary.RequestOutcome.BudgetExceeded, 429);

        var path = Path.Combine(_dir, "records.jsonl");
        using var file = new StreamWriter(path, append: false, new UTF8Encoding(false));
        var writer = new UsageRecordWriter(file);
        foreach (var record in records)
        {
            writer.Write(record);
        }

        return path;
    }

    private static object?[][] Rows(IReadOnlyList<UsageTable> tables, string query) =>
        tables.Single(t => t.Query == query).Rows.Select(r => r.Select(Normal).ToArray()).ToArray();

    /// <summary>Numbers as decimals (DuckDB sums BIGINT as HUGEINT), text as text.</summary>
    private static object? Normal(object? value) => value switch
    {
        BigInteger b => (decimal)b,
        long l => (decimal)l,
        int i => (decimal)i,
        double d => (decimal)d,
        _ => value,
    };

    [Fact]
    public void EveryQuery_OnRecordsFromTheRealWriter_GivesTheHandComputedFigures()
    {
        var tables = UsageReport.Run([WriteRecords()], null, forecastP50Usd: 0.10m, forecastP90Usd: 0.20m);

        tables.Select(t => t.Query).Should().Equal("cost_by_app", "cost_by_day", "cost_by_model_route", "cost_by_user", "limits_and_fallbacks", "most_expensive_requests", "spend_vs_forecast", "token_trend");
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
        Rows(tables, "cost_by_model_route").Should().BeEquivalentTo(new object?[][]
        {
            ["medium", "amazon.nova-lite-v1:0", 2m, 5000m, 1500m, 0.06m],
            ["small", "amazon.nova-micro-v1:0", 2m, 1500m, 300m, 0.015m],
            ["none", "none", 1m, 0m, 0m, 0m],
        }, o => o.WithStrictOrdering());
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
        Rows(tables, "spend_vs_forecast").Should().BeEquivalentTo(new object?[][]
        {
            ["2026-11", 4m, 0.035m, 0.10m, 0.20m, 0.35m],
            ["2026-12", 1m, 0.04m, 0.10m, 0.20m, 0.4m],
        }, o => o.WithStrictOrdering());
        Rows(tables, "token_trend").Should().BeEquivalentTo(new object?[][]
        {
            ["2026-11-02", 2m, 3000m, 700m, 0m, 1500m, 350m],
            ["2026-11-03", 2m, 500m, 100m, 0m, 250m, 50m],
            ["2026-12-01", 1m, 3000m, 1000m, 0m, 3000m, 1000m],
        }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Chart_OfCostByDay_IsAPngBesideNoPartialFile()
    {
        var tables = UsageReport.Run([WriteRecords()], null, 0m, 0m);
        var path = Path.Combine(_dir, "charts", "cost-by-day.png");

        DailyCostChart.Write(path, tables);

        var bytes = File.ReadAllBytes(path);
        bytes.Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "a PNG signature");
        bytes.Length.Should().BeGreaterThan(5_000);
        Directory.GetFiles(Path.Combine(_dir, "charts")).Should().ContainSingle();
    }

    [Fact]
    public void Chart_WithoutTheCostByDayQuery_IsRefusedNamingIt()
    {
        var tables = UsageReport.Run([WriteRecords()], "cost_by_app", 0m, 0m);

        var act = () => DailyCostChart.Write(Path.Combine(_dir, "x.png"), tables);

        act.Should().Throw<FormatException>().WithMessage("*cost_by_day*");
        File.Exists(Path.Combine(_dir, "x.png")).Should().BeFalse();
    }

    [Fact]
    public void GzipRecords_AndOneQuery_ReadTheSame()
    {
        var plain = WriteRecords();
        var gz = Path.Combine(_dir, "records.jsonl.gz");
        using (var source = File.OpenRead(plain))
        using (var target = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
        {
            source.CopyTo(target);
        }

        var tables = UsageReport.Run([gz], "cost_by_app", 0m, 0m);

        tables.Should().ContainSingle().Which.Rows.Select(r => (string)r[0]!).Should().Equal("search", "support");
        Rows(tables, "cost_by_app")[0][4].Should().Be(0.07m);
    }

    [Fact]
    public void UnknownQuery_IsRefusedNamingTheKnownOnes()
    {
        var act = () => UsageReport.Run([WriteRecords()], "cost_by_planet", 0m, 0m);

        act.Should().Throw<FormatException>().WithMessage("--query: no query named \"cost_by_planet\"; known: cost_by_app, cost_by_day, *");
    }
}
