namespace LlmCost.Infra.Synthesis;

/// <summary>
/// Collects resources, variables, config and outputs. Names are unique across the whole program; a duplicate
/// throws with the component that tried to add it, so two blocks can never silently overwrite each other.
/// </summary>
internal sealed class ProgramBuilder
{
    private readonly List<ConfigDeclaration> _config = [];
    private readonly List<KeyValuePair<string, Value>> _variables = [];
    private readonly List<ResourceDeclaration> _resources = [];
    private readonly List<KeyValuePair<string, Value>> _outputs = [];
    private readonly Dictionary<string, string> _owners = new(StringComparer.Ordinal);

    public ReferenceValue AddResource(ResourceDeclaration resource)
    {
        Claim(resource.Name, resource.Component);
        _resources.Add(resource);
        return new ReferenceValue(resource.Name);
    }

    public ReferenceValue AddVariable(string name, Value value, string component)
    {
        Claim(name, component);
        _variables.Add(new(name, value));
        return new ReferenceValue(name);
    }

    public ReferenceValue AddConfig(ConfigDeclaration config)
    {
        Claim(config.Key, "config");
        _config.Add(config);
        return new ReferenceValue(config.Key);
    }

    public void AddOutput(string name, Value value)
    {
        if (_outputs.Any(o => o.Key == name))
        {
            throw new SynthesisException($"Output '{name}' is declared twice.");
        }

        _outputs.Add(new(name, value));
    }

    public bool IsDeclared(string name) => _owners.ContainsKey(name);

    /// <summary>Checks every reference, then freezes the program.</summary>
    public ProgramDocument Build()
    {
        var document = new ProgramDocument(_config.ToList(), _variables.ToList(), _resources.ToList(), _outputs.ToList());
        ReferenceChecker.ThrowIfUnresolved(document);
        return document;
    }

    private void Claim(string name, string component)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('.', StringComparison.Ordinal) || name.Contains('$', StringComparison.Ordinal))
        {
            throw new SynthesisException($"{component}: '{name}' is not a valid logical name (no dots, no '$', not empty).");
        }

        if (name == "pulumi")
        {
            throw new SynthesisException($"{component}: 'pulumi' is reserved by Pulumi YAML.");
        }

        if (!_owners.TryAdd(name, component))
        {
            throw new SynthesisException($"{component}: the name '{name}' is already declared by {_owners[name]}.");
        }
    }
}
