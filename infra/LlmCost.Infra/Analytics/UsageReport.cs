using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using LlmCost.CostModel;

namespace LlmCost.Infra.Analytics;

/// <summary>One query's answer: its column names and rows (values as DuckDB returned them).</summary>
public sealed record UsageTable(string Query, string Description, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>
/// The analytics on one machine: the same SQL files as Athena's named queries, run by an in-process DuckDB over
/// usage records in JSON lines (as the router writes them; gzip when the name ends in <c>.gz</c>). The records are
/// read as the view <c>usage_records</c> with the Glue table's columns, typed from the usage-record schema (so a
/// field a record leaves out is NULL, and the EMF envelope is ignored), plus <c>dt</c>, the request's UTC day.
/// </summary>
public static class UsageReport
{
    public static IReadOnlyList<UsageTable> Run(IReadOnlyList<string> recordFiles, string? queryName, decimal forecastP50Usd, decimal forecastP90Usd)
    {
        foreach (var file in recordFiles)
        {
            if (!File.Exists(file))
            {
                throw new FormatException($"{file}: no such usage-record file");
            }
        }

        var queries = UsageQueries.All(forecastP50Usd, forecastP90Usd);
        if (queryName is not null)
        {
            queries = queries.Where(q => q.Name == queryName).ToList();
            if (queries.Count == 0)
            {
                throw new FormatException($"--query: no query named \"{queryName}\"; known: {string.Join(", ", UsageQueries.All(0, 0).Select(q => q.Name))}");
            }
        }

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Execute(connection, View(recordFiles));
        // Trino's cardinality(array) is DuckDB's len(list); the one difference the SQL files need bridged.
        Execute(connection, "CREATE MACRO cardinality(x) AS len(x)");
        return queries.Select(q => Query(connection, q)).ToList();
    }

    /// <summary>The view over the record files, with every schema field as a typed column.</summary>
    internal static string View(IReadOnlyList<string> recordFiles)
    {
        var files = string.Join(", ", recordFiles.Select(f => Literal(Path.GetFullPath(f))));
        var columns = string.Join(", ", UsageRecordSchema.Fields.Select(f => $"{Literal(f.Name)}: {Literal(DuckDbType(f.Type))}"));
        return $$"""
            CREATE VIEW {{UsageQueries.Table}} AS
            SELECT *, substr("{{UsageRecordSchema.Timestamp.Name}}", 1, 10) AS dt
            FROM read_json([{{files}}], format = 'newline_delimited', compression = 'auto_detect', columns = { {{columns}} })
            WHERE {{UsageRecordSchema.RecordType.Name}} = {{Literal(UsageRecordSchema.RecordTypeValue)}}
            """;
    }

    private static string DuckDbType(UsageFieldType type) => type switch
    {
        UsageFieldType.String => "VARCHAR",
        UsageFieldType.Integer => "BIGINT",
        UsageFieldType.Number => "DOUBLE",
        UsageFieldType.StringList => "VARCHAR[]",
        UsageFieldType.Boolean => "BOOLEAN",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static string Literal(string text) => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static UsageTable Query(DuckDBConnection connection, UsageQuery query)
    {
        using var command = connection.CreateCommand();
        command.CommandText = query.Sql;
        try
        {
            using DbDataReader reader = command.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            var rows = new List<IReadOnlyList<object?>>();
            while (reader.Read())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToList());
            }

            return new UsageTable(query.Name, query.Description, columns, rows);
        }
        catch (DuckDBException e)
        {
            throw new FormatException($"query {query.Name}: {e.Message}", e);
        }
    }

    /// <summary>Each table as aligned text: its name and what it answers, a header, the rows.</summary>
    public static string Render(IReadOnlyList<UsageTable> tables)
    {
        var text = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            var cells = table.Rows.Select(r => r.Select(Cell).ToList()).ToList();
            var widths = table.Columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToList();
            text.Append(CultureInfo.InvariantCulture, $"{table.Query}: {table.Description}\n");
            text.Append(string.Join("  ", table.Columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd()).Append('\n');
            foreach (var row in cells)
            {
                text.Append(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd()).Append('\n');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.######", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
