using LlmCost.Infra.Synthesis;

namespace LlmCost.Infra.Conformance;

/// <summary>
/// Programs broken on purpose, one mistake each, with the compiler error each must produce. The conformance run
/// type-checks them too and fails unless every one is caught: proof that the check can fail.
/// </summary>
internal static class BrokenPrograms
{
    public sealed record Case(string Name, string ExpectedError, ProgramDocument Program);

    public static IReadOnlyList<Case> From(ProgramDocument program) =>
    [
        new("misspelled-property", "memorySizeMb",
            ChangeProperty(program, "router-function", "memorySize", "memorySizeMb", null)),
        new("wrong-property-type", "Type 'string' is not assignable to type 'Input<number",
            ChangeProperty(program, "router-function", "timeout", "timeout", new StringValue("twenty-nine"))),
        new("missing-output", "invokeArnn",
            ChangeProperty(program, "gateway-chat-post-integration", "uri", "uri", new ReferenceValue("router-function", "invokeArnn"))),
        new("nested-misspelling", "throttlingRateLimitt",
            ChangeProperty(program, "gateway-throttling", "settings", "settings",
                Expr.Map(("throttlingRateLimitt", 10), ("throttlingBurstLimit", 20)))),
    ];

    private static ProgramDocument ChangeProperty(ProgramDocument program, string resource, string property, string newName, Value? newValue)
    {
        var target = program.Resource(resource);
        var entries = target.Properties.Entries
            .Select(e => e.Key == property ? new KeyValuePair<string, Value>(newName, newValue ?? e.Value) : e)
            .ToList();
        var changed = target with { Properties = new MapValue(entries) };
        return program with { Resources = program.Resources.Select(r => r.Name == resource ? changed : r).ToList() };
    }
}
