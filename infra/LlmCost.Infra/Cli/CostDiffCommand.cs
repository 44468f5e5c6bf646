using LlmCost.Infra.Diff;

namespace LlmCost.Infra.Cli;

/// <summary>
/// <c>cost diff</c>: plans the stack at a base (a git revision, or a saved plan) and in the working tree, and prints
/// what changes, as Markdown for a pull-request comment or as JSON. Everything is computed before anything is
/// written: on bad input only the error is printed.
/// </summary>
internal static class CostDiffCommand
{
    /// <param name="chartPath">Where the PNG chart goes; null: no PNG.</param>
    public static async Task<int> RunAsync(string projectDirectory, string stack, string? baseRevision, string? baseFile, string format, string? chartPath,
        TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        try
        {
            if ((baseRevision is null) == (baseFile is null))
            {
                throw new CostDiffException("cost diff: give exactly one of --base REF (a git revision) or --base-file PATH (a saved plan --format json)");
            }

            var head = await DiffSides.PlanAsync(projectDirectory, projectDirectory, stack, "working tree", time);
            if (!head.Exists)
            {
                throw new Settings.ConfigError(Settings.StackFileReader.PathFor(projectDirectory, stack), "stack", "no such stack file in the working tree");
            }

            var before = baseFile is not null
                ? DiffSides.FromFile(baseFile, stack)
                : await DiffSides.AtRevisionAsync(projectDirectory, stack, baseRevision!, time);
            var report = CostDiff.Compare(stack, before, head);
            var text = format == "json" ? DiffJsonRenderer.Render(report, chartPath) : DiffMarkdownRenderer.Render(report, chartPath);
            if (chartPath is not null)
            {
                WeekChartPng.Write(chartPath, stack, report.HourlyBefore, report.HourlyAfter);
            }

            await stdout.WriteAsync(text);
            return ExitCodes.Ok;
        }
        catch (CostDiffException e)
        {
            await stderr.WriteLineAsync($"llm-cost: {e.Message}");
            return ExitCodes.BadDiffInput;
        }
        catch (Exception e) when (e is Settings.ConfigError or Synthesis.SynthesisException or Pricing.PricingException or FormatException)
        {
            await stderr.WriteLineAsync($"llm-cost: {e.Message}");
            return ExitCodes.For(e);
        }
    }
}
