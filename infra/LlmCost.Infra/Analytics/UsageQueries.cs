using System.Globalization;

namespace LlmCost.Infra.Analytics;

/// <summary>One analysis of the usage records: its name (the file's) and its SQL over the table <see cref="UsageQueries.Table"/>.</summary>
internal sealed record UsageQuery(string Name, string Description, string Sql);

/// <summary>
/// The analytics SQL, one file per query in <c>analytics/queries/</c>, embedded in the program: the same text becomes
/// Athena's named queries (over the Glue table) and runs under DuckDB in <c>usage report</c> (over local records). It
/// keeps to what both Trino (Athena engine 3) and DuckDB accept; the plan's forecast is put in where a query names it.
/// </summary>
internal static class UsageQueries
{
    /// <summary>The table every query reads: the Glue table's name, and the local report's view.</summary>
    public const string Table = "usage_records";

    public const string ForecastP50 = "{{forecastP50Usd}}";
    public const string ForecastP90 = "{{forecastP90Usd}}";

    private const string Prefix = "LlmCost.Infra.Analytics.Queries.";

    /// <summary>How many queries there are: one Athena named query per file.</summary>
    public static int Count => CountOnce.Value;

    private static readonly Lazy<int> CountOnce = new(() => All(0m, 0m).Count);

    /// <summary>Every query, by name, with the forecast figures put in.</summary>
    public static IReadOnlyList<UsageQuery> All(decimal forecastP50Usd, decimal forecastP90Usd)
    {
        var assembly = typeof(UsageQueries).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                var text = reader.ReadToEnd().ReplaceLineEndings("\n").Trim();
                var sql = text
                    .Replace(ForecastP50, Figure(forecastP50Usd), StringComparison.Ordinal)
                    .Replace(ForecastP90, Figure(forecastP90Usd), StringComparison.Ordinal);
                return new UsageQuery(n[Prefix.Length..^".sql".Length], Description(text), sql);
            })
            .ToList();
    }

    /// <summary>The file's leading comment, as one line: what the query answers.</summary>
    private static string Description(string text) =>
        string.Join(" ", text.Split('\n').TakeWhile(l => l.StartsWith("--", StringComparison.Ordinal)).Select(l => l[2..].Trim()));

    /// <summary>A figure as a SQL decimal literal (cents are enough for a monthly forecast, and keep it exact).</summary>
    private static string Figure(decimal usd) => Math.Round(usd, 2).ToString("0.00", CultureInfo.InvariantCulture);
}
