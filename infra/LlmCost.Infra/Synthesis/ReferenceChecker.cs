namespace LlmCost.Infra.Synthesis;

/// <summary>
/// Every <c>${name}</c> or <c>${name.prop}</c> must name a declared resource, variable or config key, and every
/// <c>dependsOn</c> a declared resource, before anything is printed. Pulumi would find these only at deploy time.
/// </summary>
internal static class ReferenceChecker
{
    private static readonly HashSet<string> PulumiBuiltins = ["stack", "project", "organization", "cwd"];

    public static IReadOnlyList<string> FindUnresolved(ProgramDocument program)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        declared.UnionWith(program.Resources.Select(r => r.Name));
        declared.UnionWith(program.Variables.Select(v => v.Key));
        declared.UnionWith(program.Config.Select(c => c.Key));
        var resources = program.Resources.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

        var problems = new List<string>();
        void Check(string where, Value value)
        {
            foreach (var reference in value.References())
            {
                if (reference.Name == "pulumi")
                {
                    if (reference.Path is null || !PulumiBuiltins.Contains(reference.Path))
                    {
                        problems.Add($"{where}: ${{{reference.Expression}}} is not a Pulumi built-in (stack, project, organization, cwd).");
                    }
                }
                else if (!declared.Contains(reference.Name))
                {
                    problems.Add($"{where}: ${{{reference.Expression}}} names nothing declared.");
                }
            }
        }

        foreach (var resource in program.Resources)
        {
            foreach (var property in resource.Properties.Entries)
            {
                Check($"resource '{resource.Name}' property '{property.Key}'", property.Value);
            }

            foreach (var dependency in resource.Options.DependsOn.Where(d => !resources.Contains(d)))
            {
                problems.Add($"resource '{resource.Name}' dependsOn '{dependency}', which is not a declared resource.");
            }

            if (resource.Options.Parent is { } parent && !resources.Contains(parent))
            {
                problems.Add($"resource '{resource.Name}' has parent '{parent}', which is not a declared resource.");
            }
        }

        foreach (var variable in program.Variables)
        {
            Check($"variable '{variable.Key}'", variable.Value);
        }

        foreach (var output in program.Outputs)
        {
            Check($"output '{output.Key}'", output.Value);
        }

        return problems;
    }

    public static void ThrowIfUnresolved(ProgramDocument program)
    {
        var problems = FindUnresolved(program);
        if (problems.Count > 0)
        {
            throw new SynthesisException("Unresolved references in the program:\n  " + string.Join("\n  ", problems));
        }
    }
}
