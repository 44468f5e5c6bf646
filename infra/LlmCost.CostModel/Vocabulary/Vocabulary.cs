using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmCost.CostModel.Vocabulary;

/// <summary>
/// A closed set of values and the one spelling each has in stack config, the router's document, usage records and
/// plans. Code compares the enum; only this table knows the text.
/// </summary>
public sealed class Vocabulary<T>
    where T : struct, Enum
{
    private readonly (T Value, string Name)[] _entries;

    public Vocabulary(params (T Value, string Name)[] entries) => _entries = entries;

    public IEnumerable<T> Values => _entries.Select(e => e.Value);

    public IEnumerable<string> Names => _entries.Select(e => e.Name);

    /// <summary>For error messages: <c>bedrock or fleet</c>, <c>live, snapshot or live-required</c>.</summary>
    public string Choices => _entries.Length == 1
        ? _entries[0].Name
        : string.Join(", ", _entries[..^1].Select(e => e.Name)) + " or " + _entries[^1].Name;

    public string Name(T value)
    {
        foreach (var entry in _entries)
        {
            if (EqualityComparer<T>.Default.Equals(entry.Value, value))
            {
                return entry.Name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, $"no name for {typeof(T).Name}.{value}");
    }

    /// <summary>Exact, case-sensitive: the spelling is part of the contract.</summary>
    public bool TryParse(string? text, out T value)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Name, text, StringComparison.Ordinal))
            {
                value = entry.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}

/// <summary>JSON as the vocabulary's names; anything else is a <see cref="JsonException"/> that lists the choices.</summary>
public abstract class VocabularyJsonConverter<T>(Vocabulary<T> vocabulary) : JsonConverter<T>
    where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return vocabulary.TryParse(text, out var value)
            ? value
            : throw new JsonException($"expected {vocabulary.Choices}, got {(text is null ? reader.TokenType.ToString() : "\"" + text + "\"")}");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(vocabulary.Name(value));
}
