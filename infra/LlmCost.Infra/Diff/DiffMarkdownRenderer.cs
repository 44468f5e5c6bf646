using System.Globalization;
using System.Text;

namespace LlmCost.Infra.Diff;

/// <summary>
/// The report as a pull-request comment: the summary first, the cost lines, what changed, details folded. Stays under
/// GitHub's comment limit: when the full text would not fit, property values and then the longest lists are cut, and
/// the comment says so (the pulumi preview has the rest).
/// </summary>
internal static class DiffMarkdownRenderer
{
    /// <summary>GitHub refuses comments longer than this (characters).</summary>
    public const int GitHubCommentLimit = 65_536;

    /// <summary>Room left under the limit for the workflow's marker and the preview it adds around the report.</summary>
    public const int Budget = 50_000;

    public static string Marker(string stack) => $"<!-- llm-cost:preview:{stack} -->";

    public static string Render(CostDiffReport report, string? chartPath)
    {
        var text = Render(report, chartPath, showValues: true, maxResources: int.MaxValue);
        for (var max = 200; text.Length > Budget && max >= 10; max /= 2)
        {
            text = Render(report, chartPath, showValues: false, maxResources: max);
        }

        return text;
    }

    private static string Render(CostDiffReport r, string? chartPath, bool showValues, int maxResources)
    {
        var md = new StringBuilder();
        md.Append(Marker(r.Stack)).Append('\n');
        md.Append(CultureInfo.InvariantCulture, $"### llm-cost preview: `{r.Stack}`\n\n");
        md.Append(CultureInfo.InvariantCulture, $"**{Cell(DiffSummary.Line(r))}**\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Base: {Cell(r.Base.Origin)}{(r.NewStack ? " (the stack does not exist there: new stack)" : "")}. Head: {Cell(r.Head.Origin)}.\n\n");
        if (!r.Changed)
        {
            return md.ToString();
        }

        md.Append("| cost line (USD/month) | P50 before | P50 after | P50 change | P90 before | P90 after | P90 change |\n");
        md.Append("|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var l in r.Lines)
        {
            var name = l.Line == "total" ? "**total**" : l.Line;
            md.Append(CultureInfo.InvariantCulture,
                $"| {name} | {Money.Usd(l.P50Before)} | {Money.Usd(l.P50After)} | {Money.Signed(l.P50Change)} | {Money.Usd(l.P90Before)} | {Money.Usd(l.P90After)} | {Money.Signed(l.P90Change)} |\n");
        }

        md.Append('\n');
        var changed = r.Settings.Where(s => s.Changed).ToList();
        if (changed.Count == 0)
        {
            md.Append("No setting the plan rests on changed (Savings Plan, fleet, routes, models, caps, prices).\n\n");
        }
        else
        {
            md.Append("**Changed settings**\n\n");
            SettingsTable(md, changed);
        }

        md.Append(CultureInfo.InvariantCulture, $"<details><summary>All settings ({r.Settings.Count})</summary>\n\n");
        SettingsTable(md, r.Settings);
        md.Append("</details>\n\n");

        Resources(md, r, showValues, maxResources);

        md.Append("**Expected hourly cost over a typical week** (P50; ");
        md.Append(r.HourlyBefore is null ? "the saved base plan has no hourly profile: one line, after" : "first line before, second line after");
        md.Append(")\n\n");
        md.Append(MermaidChart.Render(r.Stack, r.HourlyBefore, r.HourlyAfter));
        if (chartPath is not null)
        {
            md.Append(CultureInfo.InvariantCulture, $"\nThe same chart as a PNG: `{Cell(chartPath)}` (a workflow artifact in CI).\n");
        }

        return md.ToString();
    }

    private static void SettingsTable(StringBuilder md, IEnumerable<SettingRow> rows)
    {
        md.Append("| setting | before | after |\n|---|---|---|\n");
        foreach (var s in rows)
        {
            var name = s.Changed ? $"**{Cell(s.Setting)}**" : Cell(s.Setting);
            md.Append(CultureInfo.InvariantCulture, $"| {name} | {Cell(s.Before)} | {Cell(s.After)} |\n");
        }

        md.Append('\n');
    }

    private static void Resources(StringBuilder md, CostDiffReport r, bool showValues, int maxResources)
    {
        if (r.Resources is null)
        {
            md.Append("Resources: not compared (the base is a saved plan, which carries no program).\n\n");
            return;
        }

        var list = r.Resources;
        if (list.Count == 0)
        {
            md.Append("Resources: no change.\n\n");
            return;
        }

        md.Append(CultureInfo.InvariantCulture,
            $"**Resources**: {list.Count(c => c.Kind == "added")} added, {list.Count(c => c.Kind == "removed")} removed, {list.Count(c => c.Kind == "changed")} changed\n\n");
        md.Append("<details><summary>Resource changes</summary>\n\n| change | type | name | properties |\n|---|---|---|---|\n");
        foreach (var c in list.Take(maxResources))
        {
            var properties = string.Join("<br>", c.Properties.Select(p =>
                showValues ? $"`{Code(p.Property)}`: `{Code(p.Before)}` → `{Code(p.After)}`" : $"`{Code(p.Property)}`"));
            md.Append(CultureInfo.InvariantCulture, $"| {c.Kind} | `{Code(c.Type)}` | `{Code(c.Name)}` | {properties} |\n");
        }

        if (list.Count > maxResources)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n…and {list.Count - maxResources} more (cut to stay under GitHub's comment limit; the pulumi preview lists them all).\n");
        }
        else if (!showValues)
        {
            md.Append("\nProperty values left out to stay under GitHub's comment limit; the pulumi preview shows them.\n");
        }

        md.Append("\n</details>\n\n");
    }

    /// <summary>Text safe inside a table cell: no pipes, no line breaks.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>Text safe inside inline code in a table cell (a backtick would end it).</summary>
    private static string Code(string text) => Cell(text).Replace("`", "'", StringComparison.Ordinal);
}
