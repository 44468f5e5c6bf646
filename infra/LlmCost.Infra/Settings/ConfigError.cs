namespace LlmCost.Infra.Settings;

/// <summary>
/// A stack setting is missing or wrong. The message names the stack file, the config key (with the path inside a
/// structured value) and what was expected, e.g.
/// <c>stacks/Pulumi.dev.yaml: llm-cost:router.memoryMb: expected an integer from 128 to 10240, got "lots"</c>.
/// </summary>
internal sealed class ConfigError(string source, string key, string problem)
    : Exception($"{source}: {key}: {problem}")
{
    public string StackFile { get; } = source;

    public string Key { get; } = key;

    public string Problem { get; } = problem;
}
