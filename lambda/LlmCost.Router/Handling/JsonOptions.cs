using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmCost.Router.Handling;

/// <summary>
/// Output JSON keeps non-ASCII text and characters like <c>&gt;</c> as they are (valid JSON, readable in logs and
/// clients); the default encoder's HTML-safe escaping protects nothing here, since no output is embedded in HTML.
/// </summary>
internal static class JsonOptions
{
    public static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
