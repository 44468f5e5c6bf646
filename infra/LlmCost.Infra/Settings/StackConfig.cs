using System.Text.Json;

namespace LlmCost.Infra.Settings;

/// <summary>
/// A stack's raw config as Pulumi hands it to a compiler: keys <c>"namespace:key"</c>, every value a string
/// (structured values are JSON text). <paramref name="Source"/> names where a user fixes a bad value.
/// </summary>
internal sealed record StackConfig(string Stack, string Source, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>Reads <c>PULUMI_CONFIG</c>, the JSON object Pulumi sets in the compiler's environment.</summary>
    public static StackConfig FromPulumiConfigJson(string stack, string source, string json)
    {
        Dictionary<string, JsonElement>? raw;
        try
        {
            raw = JsonSerializer.Deserialize(json, SettingsJsonContext.Default.DictionaryStringJsonElement);
        }
        catch (JsonException e)
        {
            throw new ConfigError(source, "PULUMI_CONFIG", $"expected a JSON object of config values: {e.Message}");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, element) in raw ?? [])
        {
            // Pulumi sends strings; tolerate other JSON so a hand-set variable still works.
            values[key] = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
        }

        return new StackConfig(stack, source, values);
    }
}
