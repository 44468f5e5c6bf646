using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace LlmCost.Infra.Settings;

/// <summary>
/// Reads <c>stacks/Pulumi.NAME.yaml</c> the way Pulumi turns it into <c>PULUMI_CONFIG</c>: keys without a
/// namespace get the project's, scalars become strings, maps and lists become JSON text. Encrypted values
/// (<c>secure:</c>) cannot be read offline and are reported by the key that needs them.
/// </summary>
internal static class StackFileReader
{
    public const string ProjectNamespace = "llm-cost";

    public static string PathFor(string projectDirectory, string stack) =>
        Path.Combine(projectDirectory, "stacks", $"Pulumi.{stack}.yaml");

    public static StackConfig Read(string projectDirectory, string stack)
    {
        var path = PathFor(projectDirectory, stack);
        var source = Path.GetRelativePath(projectDirectory, path);
        if (!File.Exists(path))
        {
            var folder = Path.GetDirectoryName(path)!;
            IEnumerable<string> known = Directory.Exists(folder)
                ? Directory.GetFiles(folder, "Pulumi.*.yaml").Select(f => Path.GetFileName(f)[7..^5]).Order(StringComparer.Ordinal)
                : [];
            throw new ConfigError(source, "stack", $"no such stack file; known stacks: {string.Join(", ", known)}");
        }

        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ConfigError(source, "file", $"not valid YAML at line {e.Start.Line}: {e.Message}");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (yaml.Documents.Count > 0 && yaml.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("config"), out var configNode))
        {
            if (configNode is not YamlMappingNode config)
            {
                throw new ConfigError(source, "config", "expected a map of config keys");
            }

            foreach (var (keyNode, valueNode) in config.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? "";
                if (!key.Contains(':', StringComparison.Ordinal))
                {
                    key = $"{ProjectNamespace}:{key}";
                }

                values[key] = valueNode switch
                {
                    YamlScalarNode scalar => scalar.Value ?? "",
                    YamlMappingNode map when map.Children.ContainsKey(new YamlScalarNode("secure")) =>
                        throw new ConfigError(source, key, "is encrypted (secure:); run through `pulumi preview`, which decrypts it, instead of offline"),
                    _ => ToJson(valueNode)?.ToJsonString() ?? "null",
                };
            }
        }

        return new StackConfig(stack, source, values);
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            new KeyValuePair<string, JsonNode?>(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    /// <summary>Plain YAML scalars keep their YAML type inside structured values, as Pulumi's JSON does.</summary>
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted)
        {
            return JsonValue.Create(text);
        }

        if (text is "true" or "false")
        {
            return JsonValue.Create(text == "true");
        }

        if (text is "null" or "~" || text.Length == 0)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }
}
