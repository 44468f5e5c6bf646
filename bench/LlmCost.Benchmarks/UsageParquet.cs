using System.Globalization;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using LlmCost.CostModel;

/// <summary>
/// <c>usage-parquet IN.jsonl OUT.parquet QUERIES-DIR [ROWS-PER-OBJECT]</c> (bench/usage/run.sh runs it): converts usage
/// records as the delivery stream does (the Glue table's lower-cased columns and types, Snappy), in row groups of
/// ROWS-PER-OBJECT (default 2,000: about one Firehose object of prod's, 16 million requests a month in 5-minute buffers),
/// then measures what the forecast assumes: Parquet bytes per record against the JSON line's, and for each named query
/// the share of the Parquet bytes in the columns it names (what Athena scans of it).
/// </summary>
internal static partial class UsageParquet
{
    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: usage-parquet IN.jsonl OUT.parquet QUERIES-DIR [ROWS-PER-OBJECT]");
            return 2;
        }

        var (input, output, queries) = (Path.GetFullPath(args[0]), Path.GetFullPath(args[1]), args[2]);
        var rowGroup = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2000;
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();

        var types = string.Join(", ", UsageRecordSchema.Fields.Select(f => $"'{f.Name}': '{DuckDbType(f.GlueType)}'"));
        var select = string.Join(", ", UsageRecordSchema.Fields.Select(f => $"\"{f.Name}\" AS \"{f.Name.ToLowerInvariant()}\""));
        Execute(connection, $$"""
            COPY (SELECT {{select}} FROM read_json('{{input}}', format = 'newline_delimited', compression = 'auto_detect', columns = { {{types}} }))
            TO '{{output}}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE {{rowGroup}})
            """);

        var rows = Scalar(connection, $"SELECT count(*) FROM read_parquet('{output}')");
        var columns = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT path_in_schema, CAST(sum(total_compressed_size) AS BIGINT) FROM parquet_metadata('{output}') GROUP BY path_in_schema";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var column = reader.GetString(0).Split(',', '.')[0].Trim();
                columns[column] = columns.GetValueOrDefault(column) + Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            }
        }

        var total = columns.Values.Sum();
        var jsonBytes = new FileInfo(input).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"parquet: {rows:N0} records, {new FileInfo(output).Length:N0} bytes ({(double)new FileInfo(output).Length / rows:0.0} per record; column data {total:N0}), row groups of {rowGroup:N0}"));
        if (!input.EndsWith(".gz", StringComparison.Ordinal))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"json lines: {jsonBytes:N0} bytes ({(double)jsonBytes / rows:0.0} per record); Parquet keeps {(double)new FileInfo(output).Length / jsonBytes:0.000} of them"));
        }

        var shares = new List<double>();
        foreach (var file in Directory.GetFiles(queries, "*.sql").Order(StringComparer.Ordinal))
        {
            var named = NamedColumns(File.ReadAllText(file));
            var bytes = named.Sum(c => columns.GetValueOrDefault(c));
            shares.Add((double)bytes / total);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Path.GetFileNameWithoutExtension(file),-24} reads {shares[^1],6:P1} of the bytes: {string.Join(", ", named)}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"named queries read on average {shares.Average():P1} of the Parquet bytes"));
        return 0;
    }

    /// <summary>The schema fields a query names as identifiers (comments and output aliases left out), lower-cased as Glue's columns.</summary>
    private static List<string> NamedColumns(string sql)
    {
        var text = Comment().Replace(sql, " ");
        text = Alias().Replace(text, " ");
        var words = new HashSet<string>(Identifier().Matches(text).Select(m => m.Value.Trim('"').ToLowerInvariant()), StringComparer.Ordinal);
        return UsageRecordSchema.Fields.Select(f => f.Name.ToLowerInvariant()).Where(words.Contains).ToList();
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

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("--[^\n]*")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\bAS\s+""?[A-Za-z_][A-Za-z0-9_]*""?", RegexOptions.IgnoreCase)]
    private static partial Regex Alias();

    [GeneratedRegex(@"""?[A-Za-z_][A-Za-z0-9_]*""?")]
    private static partial Regex Identifier();
}
