namespace LlmCost.Infra.Synthesis;

/// <summary>A config key the program declares, read by Pulumi at deploy time (for secrets kept out of the text).</summary>
internal sealed record ConfigDeclaration(string Key, string Type, bool Secret);

/// <summary>The whole program: what the compiler prints and what tests, plans and checks read.</summary>
internal sealed record ProgramDocument(
    IReadOnlyList<ConfigDeclaration> Config,
    IReadOnlyList<KeyValuePair<string, Value>> Variables,
    IReadOnlyList<ResourceDeclaration> Resources,
    IReadOnlyList<KeyValuePair<string, Value>> Outputs)
{
    public ResourceDeclaration Resource(string name) =>
        Resources.FirstOrDefault(r => r.Name == name)
        ?? throw new KeyNotFoundException($"The program has no resource named '{name}'.");

    public IEnumerable<ResourceDeclaration> OfType(string type) => Resources.Where(r => r.Type == type);

    public Value Output(string name) =>
        Outputs.FirstOrDefault(o => o.Key == name).Value
        ?? throw new KeyNotFoundException($"The program has no output named '{name}'.");
}
