using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmCost.CostModel;

/// <summary>
/// A string the router needs that exists only once the stack is deployed: an app's OAuth client ID, an inference
/// profile's ARN, the fleet's load-balancer URL. The program holds it as a <see cref="DeployReference"/> and prints it
/// as a Pulumi reference; Pulumi resolves it, so the deployed document carries only the <see cref="Text"/>.
/// </summary>
[JsonConverter(typeof(DeployValueJsonConverter))]
public sealed record DeployValue
{
    private DeployValue(string? text, DeployReference? reference) => (Text, Reference) = (text, reference);

    /// <summary>The value itself; null while it is still a reference.</summary>
    public string? Text { get; }

    public DeployReference? Reference { get; }

    public bool IsResolved => Text is not null;

    public static DeployValue Of(string text) => new(text, null);

    public static DeployValue Of(DeployReference reference) => new(null, reference);

    /// <summary>A value already known (a test's document, a deployed one).</summary>
    public static implicit operator DeployValue(string text) => Of(text);

    /// <summary>The resolved value, for code that runs where Pulumi has resolved it (the router).</summary>
    public string Resolved => Text ?? throw new InvalidOperationException($"{Reference} is a deploy-time reference, not a value");

    public override string ToString() => Text ?? Reference!.ToString();
}

/// <summary>
/// An output of a resource in the program: <c>{Prefix}${Resource.Property}{Suffix}</c> (a URL is
/// <c>http://</c> + a load balancer's <c>dnsName</c>).
/// </summary>
public sealed record DeployReference(string Resource, string Property, string Prefix = "", string Suffix = "")
{
    public override string ToString() => $"{Prefix}${{{Resource}.{Property}}}{Suffix}";
}

/// <summary>
/// A value as a JSON string; a reference as <c>{"deployReference": {...}}</c>, which the program turns into a Pulumi
/// reference and the router refuses as "not deployed".
/// </summary>
public sealed class DeployValueJsonConverter : JsonConverter<DeployValue>
{
    public const string ReferenceProperty = "deployReference";

    public override DeployValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return DeployValue.Of(reader.GetString()!);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected a string, got {reader.TokenType}");
        }

        string? resource = null, property = null, prefix = null, suffix = null;
        var sawReference = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var outer = reader.GetString();
            reader.Read();
            if (outer != ReferenceProperty || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"expected a string or {{\"{ReferenceProperty}\": {{...}}}}");
            }

            sawReference = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException($"{ReferenceProperty}.{name}: expected a string");
                switch (name)
                {
                    case "resource": resource = text; break;
                    case "property": property = text; break;
                    case "prefix": prefix = text; break;
                    case "suffix": suffix = text; break;
                    default: throw new JsonException($"{ReferenceProperty}.{name}: unknown field");
                }
            }
        }

        return sawReference && resource is not null && property is not null
            ? DeployValue.Of(new DeployReference(resource, property, prefix ?? "", suffix ?? ""))
            : throw new JsonException($"{ReferenceProperty}: needs resource and property");
    }

    public override void Write(Utf8JsonWriter writer, DeployValue value, JsonSerializerOptions options)
    {
        if (value.Text is { } text)
        {
            writer.WriteStringValue(text);
            return;
        }

        var r = value.Reference!;
        writer.WriteStartObject();
        writer.WriteStartObject(ReferenceProperty);
        writer.WriteString("resource", r.Resource);
        writer.WriteString("property", r.Property);
        if (r.Prefix.Length > 0)
        {
            writer.WriteString("prefix", r.Prefix);
        }

        if (r.Suffix.Length > 0)
        {
            writer.WriteString("suffix", r.Suffix);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
