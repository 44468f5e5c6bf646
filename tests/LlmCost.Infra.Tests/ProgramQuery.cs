using System.Text.Json.Nodes;
using LlmCost.Infra.Synthesis;

namespace LlmCost.Infra.Tests;

/// <summary>
/// A small query vocabulary over the printed program, in the spirit of CDK's Template assertions: tests read
/// what Pulumi would read (the JSON text), not the C# objects that produced it.
/// </summary>
internal sealed class ProgramQuery(string text)
{
    public JsonObject Root { get; } = JsonNode.Parse(text)!.AsObject();

    public static ProgramQuery Of(ProgramDocument program) => new(ProgramWriter.Write(program));

    public JsonObject Resources => Root["resources"]!.AsObject();

    public IEnumerable<(string Name, JsonObject Resource)> OfType(string type) =>
        Resources.Where(r => r.Value!["type"]!.GetValue<string>() == type).Select(r => (r.Key, r.Value!.AsObject()));

    public int Count(string type) => OfType(type).Count();

    public JsonObject Properties(string name) => Resources[name]!["properties"]!.AsObject();

    public JsonObject? Resource(string name) => Resources[name]?.AsObject();

    public JsonNode? Output(string name) => Root["outputs"]![name];

    /// <summary>A <c>fn::toJSON</c> document inside a property, as the object it will become.</summary>
    public static JsonObject Document(JsonNode? property) => property!["fn::toJSON"]!.AsObject();
}
