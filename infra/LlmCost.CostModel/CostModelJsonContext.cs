using System.Text.Json.Serialization;

namespace LlmCost.CostModel;

/// <summary>Source-generated (AOT-safe) JSON for the configuration document; camelCase on the wire.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RouterConfiguration))]
[JsonSerializable(typeof(DeployValue))]
public sealed partial class CostModelJsonContext : JsonSerializerContext;
