using System.Text;

namespace LlmCost.Infra.Synthesis;

/// <summary>Small constructors that keep component code close to the YAML it produces.</summary>
internal static class Expr
{
    /// <summary>An ordered map from name/value pairs; <c>null</c> values are left out, so optional settings read naturally.</summary>
    public static MapValue Map(params (string Key, Value? Value)[] entries) =>
        new(entries.Where(e => e.Value is not null).Select(e => new KeyValuePair<string, Value>(e.Key, e.Value!)));

    public static ListValue List(params Value[] items) => new(items);

    public static ListValue List(IEnumerable<Value> items) => new(items);

    public static ListValue Strings(IEnumerable<string> items) => new(items.Select(s => (Value)s));

    public static ReferenceValue Ref(string name, string? path = null) => new(name, path);

    /// <summary>Text made of literal strings and references, e.g. <c>Interpolate("arn:", Ref("p","partition"))</c>.</summary>
    public static Value Interpolate(params object[] parts)
    {
        var normalized = new List<object>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case string s when s.Length == 0:
                    break;
                case string s when normalized.Count > 0 && normalized[^1] is string previous:
                    normalized[^1] = previous + s;
                    break;
                case string or ReferenceValue:
                    normalized.Add(part);
                    break;
                case StringValue literal:
                    normalized.Add(literal.Text);
                    break;
                case InterpolationValue nested:
                    normalized.AddRange(nested.Parts);
                    break;
                default:
                    throw new ArgumentException($"An interpolation takes strings and references, not {part.GetType().Name}.", nameof(parts));
            }
        }

        return normalized switch
        {
            [] => new StringValue(""),
            [string only] => new StringValue(only),
            _ => new InterpolationValue(normalized),
        };
    }

    public static FunctionValue ToJson(Value document) => new("fn::toJSON", document);

    public static FunctionValue Secret(Value value) => new("fn::secret", value);

    public static FunctionValue FileArchive(string path) => new("fn::fileArchive", path);

    public static FunctionValue Invoke(string function, MapValue arguments, string? returnField = null) =>
        new("fn::invoke", Map(("function", function), ("arguments", arguments), ("return", returnField is null ? null : (Value)returnField)));

    /// <summary>Parses Pulumi's template syntax back into a value: <c>${a.b}</c> alone is a reference.</summary>
    public static Value ParseTemplate(string text)
    {
        var parts = new List<object>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '$' && i + 2 < text.Length && text[i + 2] == '{')
            {
                literal.Append("${");
                i += 3;
            }
            else if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var end = text.IndexOf('}', i + 2);
                if (end < 0)
                {
                    throw new FormatException($"Unclosed reference in \"{text}\".");
                }

                if (literal.Length > 0)
                {
                    parts.Add(literal.ToString());
                    literal.Clear();
                }

                var expression = text[(i + 2)..end];
                var dot = expression.IndexOf('.');
                parts.Add(dot < 0 ? new ReferenceValue(expression) : new ReferenceValue(expression[..dot], expression[(dot + 1)..]));
                i = end + 1;
            }
            else
            {
                literal.Append(text[i]);
                i++;
            }
        }

        if (literal.Length > 0)
        {
            parts.Add(literal.ToString());
        }

        return parts switch
        {
            [] => new StringValue(""),
            [string only] => new StringValue(only),
            [ReferenceValue only] => only,
            _ => new InterpolationValue(parts),
        };
    }
}
