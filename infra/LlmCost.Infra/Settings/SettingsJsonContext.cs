using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmCost.Infra.Settings;

/// <summary>Source-generated JSON metadata: no reflection at start-up, where every compiler run pays for it.</summary>
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(string))]
internal sealed partial class SettingsJsonContext : JsonSerializerContext;
