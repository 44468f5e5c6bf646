using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using LlmCost.CostModel;

namespace LlmCost.Infra.Analytics;

/// <summary>One query's answer: its column names and rows (values as DuckDB returned them).</summary>
internal sealed record UsageTable(string Query, string Description, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>
/// The analytics on one machine: the same SQL files as Athena's named queries, run by an in-process DuckDB over
/// usage records in JSON lines (as the router writes them; gzip is recognised by its first bytes) or in Parquet (as
/// the delivery stream writes them into the bucket and <c>usage fetch</c> downloads them: the Glue table's
/// lower-cased columns; recognised by the <c>PAR1</c> magic, whatever the name). The records are read as the view
/// <c>usage_records</c> with the schema's fields as typed columns (so a field a record or file leaves out is NULL,
/// and the EMF envelope is ignored), plus <c>dt</c>, the request's UTC day.
/// </summary>
internal static class UsageReport
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
        var parquet = recordFiles.Where(IsParquet).ToList();
        var json = recordFiles.Except(parquet).ToList();
        string? staging = null;
        try
        {
            if (json.Count > 0 && queries.Count > 1)
            {
                // Several queries: parse the JSON once into a temporary Parquet copy, which each query then reads only
                // the columns of (bench/usage: a million records, every query, about four times faster; memory as low).
                staging = Directory.CreateTempSubdirectory("llm-cost-report-").FullName;
                var copy = Path.Combine(staging, "records.parquet");
                Stage(connection, json, copy);
                (json, parquet) = ([], [.. parquet, copy]);
            }

            Execute(connection, View(json, parquet, parquet.Count == 0 ? [] : ParquetColumns(connection, parquet)));
            // Trino's cardinality(array) is DuckDB's len(list); the one difference the SQL files need bridged.
            Execute(connection, "CREATE MACRO cardinality(x) AS len(x)");
            return queries.Select(q => Query(connection, q)).ToList();
        }
        finally
        {
            if (staging is not null)
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void Stage(DuckDBConnection connection, IReadOnlyList<string> jsonFiles, string copy)
    {
        try
        {
            Execute(connection, $"COPY ({JsonSelect(jsonFiles)}) TO {Literal(copy)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 16384)");
        }
        catch (DuckDBException e)
        {
            throw new FormatException($"usage records in JSON lines ({string.Join(", ", jsonFiles)}): {e.Message}", e);
        }
    }

    /// <summary>Every schema field of the JSON-lines records, typed (a field a record leaves out is NULL).</summary>
    private static string JsonSelect(IReadOnlyList<string> jsonFiles)
    {
        var fields = string.Join(", ", UsageRecordSchema.Fields.Select(f => Identifier(f.Name)));
        var columns = string.Join(", ", UsageRecordSchema.Fields.Select(f => $"{Literal(f.Name)}: {Literal(DuckDbType(f.Type))}"));
        return $"SELECT {fields} FROM read_json([{Files(jsonFiles)}], format = 'newline_delimited', compression = 'auto_detect', columns = {{ {columns} }})";
    }

    /// <summary>The view over the record files (JSON lines and Parquet, the latter's columns as given), with every schema field as a typed column.</summary>
    internal static string View(IReadOnlyList<string> jsonFiles, IReadOnlyList<string> parquetFiles, IReadOnlyCollection<string> parquetColumns)
    {
        var parts = new List<string>();
        if (jsonFiles.Count > 0)
        {
            parts.Add(JsonSelect(jsonFiles));
        }

        if (parquetFiles.Count > 0)
        {
            // Firehose writes the Glue table's columns: the schema's names lower-cased. A column missing from every
            // file (a field added after they were written) is NULL, as a JSON record without the field is.
            var present = parquetColumns.ToDictionary(c => c, StringComparer.OrdinalIgnoreCase);
            var casts = string.Join(", ", UsageRecordSchema.Fields.Select(f =>
                $"CAST({(present.TryGetValue(f.Name, out var column) ? Identifier(column) : "NULL")} AS {DuckDbType(f.Type)}) AS {Identifier(f.Name)}"));
            parts.Add($"SELECT {casts} FROM read_parquet([{Files(parquetFiles)}], union_by_name = true)");
        }

        return $$"""
            CREATE VIEW {{UsageQueries.Table}} AS
            SELECT *, substr({{Identifier(UsageRecordSchema.Timestamp.Name)}}, 1, 10) AS dt
            FROM ({{string.Join("\nUNION ALL\n", parts)}})
            WHERE {{Identifier(UsageRecordSchema.RecordType.Name)}} = {{Literal(UsageRecordSchema.RecordTypeValue)}}
            """;
    }

    /// <summary>Parquet starts (and ends) with the magic <c>PAR1</c>; anything else is read as JSON lines, plain or gzip.</summary>
    internal static bool IsParquet(string file)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(file);
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("PAR1"u8);
    }

    /// <summary>The columns the Parquet files hold between them.</summary>
    private static List<string> ParquetColumns(DuckDBConnection connection, IReadOnlyList<string> files)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM read_parquet([{Files(files)}], union_by_name = true)";
        try
        {
            using var reader = command.ExecuteReader();
            var columns = new List<string>();
            while (reader.Read())
            {
                columns.Add(reader.GetString(0));
            }

            return columns;
        }
        catch (DuckDBException e)
        {
            throw new FormatException($"usage records in Parquet ({string.Join(", ", files)}): {e.Message}", e);
        }
    }

    private static string Files(IEnumerable<string> files) => string.Join(", ", files.Select(f => Literal(Path.GetFullPath(f))));

    private static string Identifier(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

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
