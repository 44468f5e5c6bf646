using System.Text.Json;
using System.Text.Json.Nodes;
using LlmCost.Infra.Cli;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;

namespace LlmCost.Infra.Diff;

/// <summary>
/// Plans each side of a diff. Both sides are planned by this program, offline on its embedded price snapshot, so the
/// only differences are the stack's own: its settings, its demand, its history file. The base's stack file and
/// history come from the base revision; the router bundle's presence from the working tree (so a bundle built on one
/// side only does not show as a change).
/// </summary>
internal static class DiffSides
{
    public static async Task<DiffSide> PlanAsync(string projectDirectory, string bundleDirectory, string stack, string origin, TimeProvider time)
    {
        if (!File.Exists(StackFileReader.PathFor(projectDirectory, stack)))
        {
            return DiffSide.Missing(origin);
        }

        var config = StackFileReader.Read(projectDirectory, stack);
        if (config.Values.ContainsKey(StackKinds.Key) && StackKinds.Of(config) == StackKind.Account)
        {
            throw new CostDiffException($"cost diff: {stack} is an account stack (llm-cost:kind: account), which has no cost plan; diff an environment stack");
        }

        var settings = StackSettingsReader.Read(config);
        var costs = await StackPlanning.PlanAsync(settings, projectDirectory, PlanningOptions.Offline, Environment.GetEnvironmentVariable, time);
        var synthesized = LlmCostStack.Synthesize(settings, costs, new BundleLocator(bundleDirectory));
        return new DiffSide(
            (JsonObject)JsonNode.Parse(PlanJsonRenderer.Render(synthesized))!,
            (JsonObject)JsonNode.Parse(ProgramWriter.Write(synthesized.Program))!,
            origin);
    }

    public static async Task<DiffSide> AtRevisionAsync(string projectDirectory, string stack, string revision, TimeProvider time)
    {
        using var worktree = GitWorktree.Add(projectDirectory, revision);
        return await PlanAsync(worktree.ProjectDirectory, projectDirectory, stack, $"{revision} ({worktree.Commit[..Math.Min(12, worktree.Commit.Length)]})", time);
    }

    /// <summary>A saved <c>plan --format json</c>: checked to be a plan of this stack in a schema this version reads.</summary>
    public static DiffSide FromFile(string path, string stack)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CostDiffException($"--base-file {path}: cannot read it: {e.Message}");
        }

        JsonObject plan;
        try
        {
            plan = JsonNode.Parse(text) as JsonObject ?? throw new CostDiffException($"--base-file {path}: expected a JSON object (the output of plan --format json)");
        }
        catch (JsonException e)
        {
            throw new CostDiffException($"--base-file {path}: not valid JSON at line {e.LineNumber + 1}: {e.Message}");
        }

        if (plan["schemaVersion"] is not JsonValue version || !version.TryGetValue<int>(out var v) || v != PlanJsonRenderer.SchemaVersion)
        {
            throw new CostDiffException($"--base-file {path}: schemaVersion: expected {PlanJsonRenderer.SchemaVersion} (the output of plan --format json), found {plan["schemaVersion"]?.ToJsonString() ?? "none"}");
        }

        if (plan["stack"]?.GetValue<string>() is not { } saved || saved != stack)
        {
            throw new CostDiffException($"--base-file {path}: stack: the saved plan is of \"{plan["stack"]}\", not of {stack}");
        }

        if (plan["forecast"] is not JsonObject)
        {
            throw new CostDiffException($"--base-file {path}: forecast: missing; save the base with plan --format json");
        }

        return new DiffSide(plan, null, path);
    }
}
