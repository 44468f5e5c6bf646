using System.Globalization;
using System.Text.Json.Nodes;

namespace LlmCost.Infra.Synthesis;

/// <summary>
/// One value of a Pulumi YAML program: a literal, a reference to a declared name, an interpolation or a
/// built-in function. Nothing here is evaluated by C#; Pulumi evaluates references at deploy time.
/// </summary>
internal abstract record Value
{
    public static implicit operator Value(string text) => new StringValue(text);
    public static implicit operator Value(int number) => new NumberValue(number);
    public static implicit operator Value(long number) => new NumberValue(number);
    public static implicit operator Value(decimal number) => new NumberValue(number);
    public static implicit operator Value(double number) => new NumberValue((decimal)number);
    public static implicit operator Value(bool flag) => new BoolValue(flag);

    /// <summary>Every reference this value holds, depth first.</summary>
    public IEnumerable<ReferenceValue> References() => this switch
    {
        ReferenceValue r => [r],
        InterpolationValue i => i.Parts.OfType<ReferenceValue>(),
        ListValue l => l.Items.SelectMany(item => item.References()),
        MapValue m => m.Entries.SelectMany(entry => entry.Value.References()),
        FunctionValue f => f.Argument.References(),
        _ => [],
    };

    /// <summary>
    /// Turns a JSON document into a value whose strings are literals (a <c>${</c> in one stays text).
    /// <paramref name="special"/> may turn an object into something else (a deploy-time reference); null: a map.
    /// </summary>
    public static Value FromJson(JsonNode? node, Func<JsonObject, Value?>? special = null) => node switch
    {
        null => NullValue.Instance,
        JsonObject o => special?.Invoke(o) ?? new MapValue(o.Select(p => new KeyValuePair<string, Value>(p.Key, FromJson(p.Value, special)))),
        JsonArray a => new ListValue(a.Select(item => FromJson(item, special))),
        JsonValue v when v.TryGetValue<bool>(out var b) => new BoolValue(b),
        JsonValue v when v.TryGetValue<string>(out var s) => new StringValue(s),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => new NumberValue(decimal.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)),
        _ => throw new FormatException($"Unexpected JSON value {node.ToJsonString()}."),
    };
}

/// <summary>A literal string. When printed, <c>${</c> is escaped so Pulumi never reads it as a reference.</summary>
internal sealed record StringValue(string Text) : Value;

internal sealed record NumberValue(decimal Number) : Value;

internal sealed record BoolValue(bool Flag) : Value;

internal sealed record NullValue : Value
{
    public static NullValue Instance { get; } = new();
}

/// <summary><c>${name}</c> or <c>${name.path}</c>: keeps the referenced value's type.</summary>
internal sealed record ReferenceValue(string Name, string? Path = null) : Value
{
    public string Expression => Path is null ? Name : $"{Name}.{Path}";
}

/// <summary>Text with references inside it; always a string.</summary>
internal sealed record InterpolationValue(IReadOnlyList<object> Parts) : Value;

/// <summary>A Pulumi YAML built-in such as <c>fn::toJSON</c>, <c>fn::invoke</c>, <c>fn::secret</c>.</summary>
internal sealed record FunctionValue(string Name, Value Argument) : Value;

/// <summary>An ordered list.</summary>
internal sealed record ListValue(IReadOnlyList<Value> Items) : Value
{
    public ListValue(IEnumerable<Value> items) : this(items.ToList()) { }
}

/// <summary>An ordered map; keys are literal.</summary>
internal sealed record MapValue(IReadOnlyList<KeyValuePair<string, Value>> Entries) : Value
{
    public MapValue(IEnumerable<KeyValuePair<string, Value>> entries) : this(entries.ToList()) { }

    public Value? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;
}
