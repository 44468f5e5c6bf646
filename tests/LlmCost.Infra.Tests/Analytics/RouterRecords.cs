using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using LlmCost.CostModel;
using LlmCost.Infra.Components.Analytics;

namespace LlmCost.Infra.Tests.Analytics;

/// <summary>One request's figures, the fields the analytics tests vary.</summary>
internal sealed record RouterRecord(string At, string App, string User, string Route, string Model, long Input, long Output, decimal Cost)
{
    public string Outcome { get; init; } = "ok";

    public int Status { get; init; } = 200;

    public string? FallbackFrom { get; init; }

    public IReadOnlyList<string> LimitHits { get; init; } = [];
}

/// <summary>
/// Usage records as the router writes them, and as the delivery stream stores them. <c>router-usage-record.jsonl</c> is
/// one line written by the router's own <c>UsageRecordWriter</c> (a successful Bedrock request, EMF envelope first);
/// each record here is that line with only the varied fields changed, serialized with the writer's escaping. The
/// Parquet is what Firehose writes with the Glue table's schema: the table's lower-cased columns and types (from
/// <see cref="UsageCatalog.Columns"/>, the schema the stream converts with), Snappy-compressed, written by DuckDB.
/// </summary>
internal static class RouterRecords
{
    private static readonly JsonSerializerOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string TemplatePath { get; } = Path.Combine(Repo.Root, "tests", "LlmCost.Infra.Tests", "Analytics", "router-usage-record.jsonl");

    /// <summary>The five records of the report's hand computation (tests/LlmCost.Router.Tests/UsageReportTests.cs has the same set).</summary>
    public static IReadOnlyList<RouterRecord> FiveRequests() =>
    [
        new("2026-11-02T10:00:00Z", "search", "u1", "small", "amazon.nova-micro-v1:0", 1000, 200, 0.01m),
        new("2026-11-02T11:00:00Z", "search", "u2", "medium", "amazon.nova-lite-v1:0", 2000, 500, 0.02m) { LimitHits = ["max_tokens_capped:4096->1024"] },
        new("2026-11-03T09:00:00Z", "support", "u1", "small", "amazon.nova-micro-v1:0", 500, 100, 0.005m) { FallbackFrom = "medium" },
        new("2026-11-03T12:00:00Z", "support", "u3", "none", "none", 0, 0, 0m) { Outcome = "budget_exceeded", Status = 429 },
        new("2026-12-01T00:00:00Z", "search", "u1", "medium", "amazon.nova-lite-v1:0", 3000, 1000, 0.04m),
    ];

    public static string Line(RouterRecord r)
    {
        var node = JsonNode.Parse(File.ReadAllText(TemplatePath).Trim())!.AsObject();
        var at = DateTimeOffset.Parse(r.At, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        node["_aws"]!["Timestamp"] = at.ToUnixTimeMilliseconds();
        node["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        node["requestId"] = $"req-{at.ToUnixTimeSeconds()}-{r.User}";
        (node["app"], node["user"], node["route"], node["model"]) = (r.App, r.User, r.Route, r.Model);
        (node["inputTokens"], node["outputTokens"], node["costUsd"]) = (r.Input, r.Output, r.Cost);
        (node["outcome"], node["status"]) = (r.Outcome, r.Status);
        node["limitHits"] = new JsonArray(r.LimitHits.Select(h => (JsonNode?)h).ToArray());
        if (r.FallbackFrom is { } from)
        {
            // The writer puts an optional field in the schema's order: fallbackFrom follows complexityScore.
            var ordered = new JsonObject();
            foreach (var (key, value) in node.ToList())
            {
                node.Remove(key);
                ordered[key] = value;
                if (key == "complexityScore")
                {
                    ordered["fallbackFrom"] = from;
                }
            }

            node = ordered;
        }

        return node.ToJsonString(Writer);
    }

    public static string WriteJsonLines(string path, IEnumerable<RouterRecord> records)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(records.Select(r => Line(r) + "\n")), new UTF8Encoding(false));
        return path;
    }

    /// <summary>The records as one Parquet object of the delivery stream: JSON lines converted with the Glue table's columns.</summary>
    public static string WriteParquet(string path, IEnumerable<RouterRecord> records, params string[] leaveOut)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var json = path + ".source.jsonl";
        WriteJsonLines(json, records);
        // The Glue table's columns are the schema's fields, lower-cased, in its order.
        var columns = UsageRecordSchema.Fields.Zip(UsageCatalog.Columns()).Where(p => !leaveOut.Contains(p.Second.Name)).ToList();
        var types = string.Join(", ", columns.Select(p => $"'{p.First.Name}': '{DuckDbType(p.Second.Type)}'"));
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // OpenX JSON SerDe with caseInsensitive: the record's camelCase fields fill the lower-cased columns.
            var select = string.Join(", ", columns.Select(p => $"\"{p.First.Name}\" AS \"{p.Second.Name}\""));
            command.CommandText = $$"""
                COPY (SELECT {{select}} FROM read_json('{{json}}', format = 'newline_delimited', columns = { {{types}} }))
                TO '{{path}}' (FORMAT parquet, COMPRESSION snappy)
                """;
            command.ExecuteNonQuery();
        }

        File.Delete(json);
        return path;
    }

    private static string DuckDbType(string glueType) => glueType switch
    {
        "string" => "VARCHAR",
        "bigint" => "BIGINT",
        "double" => "DOUBLE",
        "boolean" => "BOOLEAN",
        "array<string>" => "VARCHAR[]",
        _ => throw new ArgumentOutOfRangeException(nameof(glueType), glueType, null),
    };
}
