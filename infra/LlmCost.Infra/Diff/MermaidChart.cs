using System.Globalization;
using System.Text;

namespace LlmCost.Infra.Diff;

/// <summary>
/// The week's hourly cost as a Mermaid xychart, which GitHub renders inline in a comment, so the pull request needs
/// no image hosting. Mermaid's xychart has no legend: the caption says which line is which.
/// </summary>
internal static class MermaidChart
{
    public static string Render(string stack, IReadOnlyList<decimal>? before, IReadOnlyList<decimal> after)
    {
        var top = Math.Max(before?.DefaultIfEmpty().Max() ?? 0m, after.DefaultIfEmpty().Max());
        var yMax = top <= 0 ? 1m : Math.Ceiling(top * 1.1m * 100m) / 100m;
        var text = new StringBuilder();
        text.Append("```mermaid\n");
        text.Append("xychart-beta\n");
        text.Append(CultureInfo.InvariantCulture, $"    title \"{stack}: expected USD per hour, typical week\"\n");
        text.Append(CultureInfo.InvariantCulture, $"    x-axis \"hour of the week from Monday 00:00 UTC\" 0 --> {Math.Max(after.Count, before?.Count ?? 0) - 1}\n");
        text.Append(CultureInfo.InvariantCulture, $"    y-axis \"USD per hour\" 0 --> {yMax.ToString(CultureInfo.InvariantCulture)}\n");
        if (before is not null)
        {
            text.Append("    line ").Append(Values(before)).Append('\n');
        }

        text.Append("    line ").Append(Values(after)).Append('\n');
        text.Append("```\n");
        return text.ToString();
    }

    private static string Values(IReadOnlyList<decimal> values) =>
        "[" + string.Join(", ", values.Select(v => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture))) + "]";
}
