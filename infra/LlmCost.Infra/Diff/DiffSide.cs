using System.Text.Json.Nodes;

namespace LlmCost.Infra.Diff;

/// <summary>
/// One side of a cost diff, as the documented JSON contracts: the plan (<c>plan --format json</c>) and, when known,
/// the program (<c>synth</c>). Both sides go through the same JSON so a saved plan and a planned revision compare alike.
/// </summary>
/// <param name="Plan">Null: the stack does not exist on this side (a new stack).</param>
/// <param name="Program">Null: not known (a saved plan carries no program), so resources are not compared.</param>
/// <param name="Origin">Where this side came from, for the report ("origin/main (3f2a1c9)", "base.json").</param>
internal sealed record DiffSide(JsonObject? Plan, JsonObject? Program, string Origin)
{
    public bool Exists => Plan is not null;

    public static DiffSide Missing(string origin) => new(null, null, origin);
}
