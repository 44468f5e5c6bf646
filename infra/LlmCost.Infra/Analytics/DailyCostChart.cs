using System.Globalization;

namespace LlmCost.Infra.Analytics;

/// <summary>
/// The report's cost by day as a bar chart (PNG, ScottPlot), read from the <c>cost_by_day</c> query's answer so
/// the picture and the table are the same numbers. Written beside the target and moved in place: a failure leaves
/// no half-written file.
/// </summary>
internal static class DailyCostChart
{
    public const string Query = "cost_by_day";

    public static void Write(string path, IReadOnlyList<UsageTable> tables)
    {
        var table = tables.FirstOrDefault(t => t.Query == Query)
            ?? throw new FormatException($"--chart: the chart is cost by day; run it with the {Query} query (or all queries)");
        var day = table.Columns.ToList().IndexOf("day");
        var cost = table.Columns.ToList().IndexOf("cost_usd");
        var values = table.Rows.Select(r => Convert.ToDouble(r[cost] ?? 0, CultureInfo.InvariantCulture)).ToArray();
        var labels = table.Rows.Select(r => Convert.ToString(r[day], CultureInfo.InvariantCulture) ?? "").ToArray();

        var plot = new ScottPlot.Plot();
        plot.Add.Bars(values);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray(), labels);
        plot.Title("Router-recorded cost by day (USD)");
        plot.YLabel("USD");
        plot.Axes.Margins(bottom: 0);

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var partial = full + ".partial.png";
        plot.SavePng(partial, 900, 400);
        File.Move(partial, full, overwrite: true);
    }
}
