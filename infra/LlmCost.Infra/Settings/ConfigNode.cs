using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LlmCost.Infra.Settings;

/// <summary>
/// A cursor over one structured config value that knows its key path, so every error names
/// <c>llm-cost:routes[1].maxOutputTokens</c> and not just "invalid value". Unknown fields are errors: a
/// misspelled setting must not silently fall back to its default.
/// </summary>
internal sealed class ConfigNode
{
    private readonly JsonObject? _object;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private ConfigNode(string source, string path, JsonObject? obj)
    {
        Source = source;
        Path = path;
        _object = obj;
    }

    public string Source { get; }

    public string Path { get; }

    public static ConfigNode Parse(string source, string key, string? json)
    {
        if (json is null)
        {
            return new ConfigNode(source, key, null);
        }

        return new ConfigNode(source, key, ParseJson(source, key, json) as JsonObject
            ?? throw new ConfigError(source, key, $"expected a map of settings, got {Describe(json)}"));
    }

    public static JsonNode? ParseJson(string source, string key, string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            throw new ConfigError(source, key, $"expected a structured value (map or list), got {Describe(json)}");
        }
    }

    public static ConfigNode FromObject(string source, string path, JsonNode? node) =>
        node is null or JsonObject
            ? new ConfigNode(source, path, (JsonObject?)node)
            : throw new ConfigError(source, path, $"expected a map of settings, got {Describe(node.ToJsonString())}");

    public ConfigError Error(string field, string problem) => new(Source, Key(field), problem);

    public string Key(string field) => $"{Path}.{field}";

    public bool Has(string field) => _object?[field] is not null;

    public JsonNode? Raw(string field)
    {
        _read.Add(field);
        return _object?[field];
    }

    public string? String(string field, string? fallback = null, string? pattern = null, string? patternMeaning = null)
    {
        var node = Raw(field);
        if (node is null)
        {
            return fallback;
        }

        if (node is not JsonValue v || !v.TryGetValue<string>(out var text))
        {
            throw Error(field, $"expected a string, got {node.ToJsonString()}");
        }

        if (pattern is not null && !Regex.IsMatch(text, pattern))
        {
            throw Error(field, $"expected {patternMeaning ?? "a value matching " + pattern}, got \"{text}\"");
        }

        return text;
    }

    public string RequiredString(string field, string? pattern = null, string? patternMeaning = null) =>
        String(field, null, pattern, patternMeaning) ?? throw Error(field, $"is required: expected {patternMeaning ?? "a string"}");

    public string OneOf(string field, string fallback, params string[] allowed)
    {
        var value = String(field, fallback)!;
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw Error(field, $"expected one of {string.Join(", ", allowed)}, got \"{value}\"");
    }

    /// <summary>A closed value, spelled as its vocabulary spells it.</summary>
    public T OneOf<T>(string field, T fallback, LlmCost.CostModel.Vocabulary.Vocabulary<T> vocabulary)
        where T : struct, Enum
    {
        var text = String(field, vocabulary.Name(fallback))!;
        return vocabulary.TryParse(text, out var value)
            ? value
            : throw Error(field, $"expected {vocabulary.Choices}, got \"{text}\"");
    }

    public int Int(string field, int fallback, int min, int max) =>
        Number(field, fallback, min, max, NumberStyles.Integer, "an integer");

    public int RequiredInt(string field, int min, int max) =>
        Has(field) ? Int(field, 0, min, max) : throw Error(field, $"is required: expected an integer from {min} to {max}");

    public decimal Decimal(string field, decimal fallback, decimal min, decimal max) =>
        Number(field, fallback, min, max, NumberStyles.Float, "a number");

    /// <summary>A number in range; Pulumi may hand it over as a JSON number or as its text.</summary>
    private T Number<T>(string field, T fallback, T min, T max, NumberStyles style, string kind)
        where T : struct, INumber<T>
    {
        var node = Raw(field);
        if (node is null)
        {
            return fallback;
        }

        if (node is JsonValue v && (v.TryGetValue<T>(out var n) || (v.TryGetValue<string>(out var s) && T.TryParse(s, style, CultureInfo.InvariantCulture, out n))))
        {
            return n >= min && n <= max ? n : throw Error(field, $"expected {kind} from {min} to {max}, got {n}");
        }

        throw Error(field, $"expected {kind} from {min} to {max}, got {node.ToJsonString()}");
    }

    public bool Bool(string field, bool fallback)
    {
        var node = Raw(field);
        if (node is null)
        {
            return fallback;
        }

        if (node is JsonValue v && (v.TryGetValue<bool>(out var b) || (v.TryGetValue<string>(out var s) && bool.TryParse(s, out b))))
        {
            return b;
        }

        throw Error(field, $"expected true or false, got {node.ToJsonString()}");
    }

    public IReadOnlyList<ConfigNode> Objects(string field)
    {
        var node = Raw(field);
        return node switch
        {
            null => [],
            JsonArray a => a.Select((item, i) => FromObject(Source, $"{Path}.{field}[{i}]", item)).ToList(),
            _ => throw Error(field, $"expected a list of maps, got {node.ToJsonString()}"),
        };
    }

    public ConfigNode Child(string field) => FromObject(Source, Key(field), Raw(field));

    public IReadOnlyDictionary<string, string> StringMap(string field)
    {
        var node = Raw(field);
        if (node is null)
        {
            return new Dictionary<string, string>();
        }

        if (node is not JsonObject o)
        {
            throw Error(field, $"expected a map of strings, got {node.ToJsonString()}");
        }

        return o.ToDictionary(
            p => p.Key,
            p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new ConfigError(Source, $"{Key(field)}.{p.Key}", $"expected a string, got {p.Value?.ToJsonString() ?? "null"}"),
            StringComparer.Ordinal);
    }

    /// <summary>Call after reading every field: anything left over is a typo or a setting this version lacks.</summary>
    public void RejectUnknown()
    {
        if (_object is null)
        {
            return;
        }

        var unknown = _object.Select(p => p.Key).Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ConfigError(Source, Key(unknown[0]), $"is not a known setting; known here: {string.Join(", ", _read.Order(StringComparer.Ordinal))}");
        }
    }

    private static string Describe(string text) => text.Length > 60 ? $"\"{text[..60]}...\"" : $"\"{text}\"";
}
