using System.Text.Json.Nodes;

namespace LlmCost.Infra.Analytics;

/// <summary><c>usage report --format json</c>: one object, each query's rows as objects keyed by column, for scripts.</summary>
internal static class UsageReportJson
{
    public static string Render(IReadOnlyList<UsageTable> tables)
    {
        var root = new JsonObject();
        foreach (var table in tables)
        {
            var rows = new JsonArray();
            foreach (var row in table.Rows)
            {
                var item = new JsonObject();
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    item[table.Columns[i]] = Value(row[i]);
                }

                rows.Add(item);
            }

            root[table.Query] = rows;
        }

        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static JsonNode? Value(object? value) => value switch
    {
        null => null,
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        double d => JsonValue.Create(d),
        decimal m => JsonValue.Create(m),
        System.Numerics.BigInteger b => JsonValue.Create((decimal)b),
        bool b => JsonValue.Create(b),
        _ => JsonValue.Create(value.ToString()),
    };
}
