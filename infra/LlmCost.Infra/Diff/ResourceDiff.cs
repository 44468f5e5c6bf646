using System.Text.Json.Nodes;

namespace LlmCost.Infra.Diff;

/// <summary>
/// Resources added, removed and changed between two synthesized programs, by logical name. Values a reviewer sees
/// are masked when secret: anything under <c>fn::secret</c>, a property the resource lists in
/// <c>additionalSecretOutputs</c>, or a value that reads a config key the program declares secret.
/// </summary>
internal static class ResourceDiff
{
    public const string Masked = "[secret]";

    /// <summary>Longest value shown; a reviewer needs to see that it changed, the preview shows the rest.</summary>
    public const int MaxValueChars = 120;

    public static IReadOnlyList<ResourceChange> Compare(JsonObject? before, JsonObject? after)
    {
        var oldResources = Resources(before);
        var newResources = Resources(after);
        var secretsBefore = SecretConfig(before);
        var secretsAfter = SecretConfig(after);
        var changes = new List<ResourceChange>();
        foreach (var (name, resource) in newResources.Where(r => !oldResources.ContainsKey(r.Key)))
        {
            changes.Add(new ResourceChange("added", Type(resource), name, []));
        }

        foreach (var (name, resource) in oldResources.Where(r => !newResources.ContainsKey(r.Key)))
        {
            changes.Add(new ResourceChange("removed", Type(resource), name, []));
        }

        foreach (var (name, now) in newResources.Where(r => oldResources.ContainsKey(r.Key)))
        {
            var was = oldResources[name];
            var properties = new List<PropertyChange>();
            if (Type(was) != Type(now))
            {
                properties.Add(new PropertyChange("type", Type(was), Type(now)));
            }

            foreach (var section in new[] { "properties", "options" })
            {
                var a = was[section] as JsonObject;
                var b = now[section] as JsonObject;
                foreach (var key in Keys(a).Union(Keys(b)).Order(StringComparer.Ordinal))
                {
                    var x = a?[key];
                    var y = b?[key];
                    if (!JsonNode.DeepEquals(x, y))
                    {
                        var label = section == "properties" ? key : $"options.{key}";
                        properties.Add(new PropertyChange(label, Show(was, key, x, secretsBefore), Show(now, key, y, secretsAfter)));
                    }
                }
            }

            if (properties.Count > 0)
            {
                changes.Add(new ResourceChange("changed", Type(now), name, properties));
            }
        }

        return changes.OrderBy(c => c.Kind, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Keys(JsonObject? o) => o?.Select(p => p.Key) ?? [];

    private static Dictionary<string, JsonObject> Resources(JsonObject? program) =>
        (program?["resources"] as JsonObject)?.Where(p => p.Value is JsonObject).ToDictionary(p => p.Key, p => (JsonObject)p.Value!, StringComparer.Ordinal)
        ?? new Dictionary<string, JsonObject>(StringComparer.Ordinal);

    private static HashSet<string> SecretConfig(JsonObject? program) =>
        (program?["config"] as JsonObject)?.Where(c => c.Value?["secret"] is JsonValue v && v.TryGetValue<bool>(out var s) && s).Select(c => c.Key).ToHashSet(StringComparer.Ordinal)
        ?? [];

    private static string Type(JsonObject resource) => resource["type"]?.GetValue<string>() ?? "?";

    private static string Show(JsonObject resource, string key, JsonNode? value, HashSet<string> secretConfig)
    {
        if (value is null)
        {
            return "(absent)";
        }

        if (IsSecretOutput(resource, key) || IsSecret(value, secretConfig))
        {
            return Masked;
        }

        var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();
        return text.Length <= MaxValueChars ? text : text[..(MaxValueChars - 1)] + "…";
    }

    private static bool IsSecretOutput(JsonObject resource, string key) =>
        resource["options"]?["additionalSecretOutputs"] is JsonArray names && names.Any(n => n?.GetValue<string>() == key);

    /// <summary>True when any part of the value is secret: <c>fn::secret</c>, or an interpolation of a secret config key.</summary>
    public static bool IsSecret(JsonNode? value, IReadOnlySet<string> secretConfig) => value switch
    {
        JsonObject o => o.Any(p => p.Key == "fn::secret" || IsSecret(p.Value, secretConfig)),
        JsonArray a => a.Any(e => IsSecret(e, secretConfig)),
        JsonValue v when v.TryGetValue<string>(out var s) => secretConfig.Any(k => s.Contains("${" + k + "}", StringComparison.Ordinal) || s.Contains("${" + k + ".", StringComparison.Ordinal)),
        _ => false,
    };
}
