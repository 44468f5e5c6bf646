using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmCost.Infra.Synthesis;

/// <summary>
/// Prints a program as JSON, which Pulumi YAML reads as YAML. JSON keeps the printer small and the output
/// unambiguous (no YAML typing surprises such as <c>no</c> or <c>1e3</c> read as non-strings).
/// </summary>
internal static class ProgramWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(ProgramDocument program)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            writer.WriteStartObject();
            // The project's name, as Pulumi.yaml says it: pulumi-yaml before 1.9.2 panics on a compiled program without it.
            writer.WriteString("name", Settings.StackFileReader.ProjectNamespace);
            if (program.Config.Count > 0)
            {
                writer.WriteStartObject("config");
                foreach (var config in program.Config)
                {
                    writer.WriteStartObject(config.Key);
                    writer.WriteString("type", config.Type);
                    if (config.Secret)
                    {
                        writer.WriteBoolean("secret", true);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            if (program.Variables.Count > 0)
            {
                writer.WriteStartObject("variables");
                foreach (var variable in program.Variables)
                {
                    writer.WritePropertyName(variable.Key);
                    WriteValue(writer, variable.Value);
                }

                writer.WriteEndObject();
            }

            writer.WriteStartObject("resources");
            foreach (var resource in program.Resources)
            {
                WriteResource(writer, resource);
            }

            writer.WriteEndObject();

            writer.WriteStartObject("outputs");
            foreach (var output in program.Outputs)
            {
                writer.WritePropertyName(output.Key);
                WriteValue(writer, output.Value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Prints one value alone, as it would appear in the program.</summary>
    public static string WriteValue(Value value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = Options.Encoder }))
        {
            WriteValue(writer, value);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteResource(Utf8JsonWriter writer, ResourceDeclaration resource)
    {
        writer.WriteStartObject(resource.Name);
        writer.WriteString("type", resource.Type);
        if (resource.DefaultProvider)
        {
            writer.WriteBoolean("defaultProvider", true);
        }

        if (resource.Properties.Entries.Count > 0)
        {
            writer.WritePropertyName("properties");
            WriteValue(writer, resource.Properties);
        }

        var options = resource.Options;
        if (!options.IsEmpty)
        {
            writer.WriteStartObject("options");
            WriteNames(writer, "dependsOn", options.DependsOn.Select(d => "${" + d + "}"));
            if (options.Protect)
            {
                writer.WriteBoolean("protect", true);
            }

            WriteNames(writer, "ignoreChanges", options.IgnoreChanges);
            if (options.RetainOnDelete)
            {
                writer.WriteBoolean("retainOnDelete", true);
            }

            if (options.DeleteBeforeReplace)
            {
                writer.WriteBoolean("deleteBeforeReplace", true);
            }

            WriteNames(writer, "replaceOnChanges", options.ReplaceOnChanges);
            WriteNames(writer, "additionalSecretOutputs", options.AdditionalSecretOutputs);
            if (options.Version is not null)
            {
                writer.WriteString("version", options.Version);
            }

            if (options.Parent is not null)
            {
                writer.WriteString("parent", "${" + options.Parent + "}");
            }

            if (options.CustomTimeouts is { } timeouts)
            {
                writer.WriteStartObject("customTimeouts");
                foreach (var (name, value) in new[] { ("create", timeouts.Create), ("update", timeouts.Update), ("delete", timeouts.Delete) })
                {
                    if (value is not null)
                    {
                        writer.WriteString(name, value);
                    }
                }

                writer.WriteEndObject();
            }

            if (options.Aliases.Count > 0)
            {
                writer.WriteStartArray("aliases");
                foreach (var alias in options.Aliases)
                {
                    writer.WriteStartObject();
                    if (alias.Name is not null)
                    {
                        writer.WriteString("name", alias.Name);
                    }

                    if (alias.NoParent)
                    {
                        writer.WriteBoolean("noParent", true);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteNames(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        var list = values.ToList();
        if (list.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in list)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, Value value)
    {
        switch (value)
        {
            case StringValue s:
                writer.WriteStringValue(Escape(s.Text));
                break;
            case NumberValue n:
                writer.WriteNumberValue(n.Number);
                break;
            case BoolValue b:
                writer.WriteBooleanValue(b.Flag);
                break;
            case NullValue:
                writer.WriteNullValue();
                break;
            case ReferenceValue r:
                writer.WriteStringValue("${" + r.Expression + "}");
                break;
            case InterpolationValue i:
                writer.WriteStringValue(string.Concat(i.Parts.Select(p => p is ReferenceValue r ? "${" + r.Expression + "}" : Escape((string)p))));
                break;
            case FunctionValue f:
                writer.WriteStartObject();
                writer.WritePropertyName(f.Name);
                WriteValue(writer, f.Argument);
                writer.WriteEndObject();
                break;
            case ListValue l:
                writer.WriteStartArray();
                foreach (var item in l.Items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case MapValue m:
                writer.WriteStartObject();
                foreach (var entry in m.Entries)
                {
                    writer.WritePropertyName(entry.Key);
                    WriteValue(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new SynthesisException($"Cannot print a {value.GetType().Name}.");
        }
    }

    /// <summary>Pulumi YAML reads <c>${</c> as a reference; a literal one is written <c>$${</c>.</summary>
    private static string Escape(string text) => text.Replace("${", "$${", StringComparison.Ordinal);
}
