namespace LlmCost.Infra.Diff;

/// <summary>The week's hourly cost, before and after, as a PNG (ScottPlot), for a reader outside GitHub or a CI artifact.</summary>
internal static class WeekChartPng
{
    public const int Width = 1200;
    public const int Height = 450;

    /// <summary>Writes to a temporary file beside <paramref name="path"/> and moves it into place, so a failure leaves no half-written chart.</summary>
    public static void Write(string path, string stack, IReadOnlyList<decimal>? before, IReadOnlyList<decimal> after)
    {
        var plot = new ScottPlot.Plot();
        if (before is not null)
        {
            var line = plot.Add.ScatterLine(Hours(before.Count), before.Select(v => (double)v).ToArray());
            line.LegendText = "before";
            line.LineWidth = 2;
        }

        var now = plot.Add.ScatterLine(Hours(after.Count), after.Select(v => (double)v).ToArray());
        now.LegendText = "after";
        now.LineWidth = 2;
        plot.Title($"{stack}: expected USD per hour over a typical week");
        plot.XLabel("hour of the week from Monday 00:00 UTC");
        plot.YLabel("USD per hour");
        plot.ShowLegend();
        plot.Axes.SetLimitsY(0, Math.Max(1d, (double)Math.Max(before?.DefaultIfEmpty().Max() ?? 0m, after.DefaultIfEmpty().Max()) * 1.1));

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp-" + Guid.NewGuid().ToString("N") + ".png";
        try
        {
            plot.SavePng(temporary, Width, Height);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static double[] Hours(int count) => Enumerable.Range(0, count).Select(h => (double)h).ToArray();
}
