using System.Text.Json;

namespace LlmCost.Infra.Sizing.History;

/// <summary>
/// One JSON object per line: flat usage lines, the router's usage records, or OpenAI <c>chat.completion</c>
/// objects, whose token counts sit in a nested <c>usage</c> object and whose time is <c>created</c>.
/// </summary>
internal static class JsonLinesHistoryReader
{
    public static void Read(TextReader text, string path, HourlyBuckets buckets)
    {
        string? raw;
        long line = 0;
        while ((raw = text.ReadLine()) is not null)
        {
            line++;
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(raw);
            }
            catch (JsonException e)
            {
                throw new FormatException($"{path}: line {line}: not JSON: {e.Message}");
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"{path}: line {line}: expected a JSON object per line, got {root.ValueKind}");
                }

                var usage = root.TryGetProperty("usage", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : root;
                var (timeName, time) = Field(root, root, HistoryFields.TimeNames, path, line, "timestamp");
                var (inputName, input) = Field(usage, root, HistoryFields.InputNames, path, line, "input tokens");
                var (outputName, output) = Field(usage, root, HistoryFields.OutputNames, path, line, "output tokens");
                buckets.Add(
                    HistoryFields.UnixSeconds(Text(time), path, line, timeName),
                    HistoryFields.Tokens(Text(input), path, line, inputName),
                    HistoryFields.Tokens(Text(output), path, line, outputName));
            }
        }
    }

    /// <summary>The first of <paramref name="names"/> present in <paramref name="first"/>, else in <paramref name="second"/>.</summary>
    private static (string Name, JsonElement Value) Field(JsonElement first, JsonElement second, string[] names, string path, long line, string what)
    {
        foreach (var obj in (ReadOnlySpan<JsonElement>)[first, second])
        {
            foreach (var name in names)
            {
                if (obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
                {
                    return (name, value);
                }
            }
        }

        throw new FormatException($"{path}: line {line}: no {what} field; expected one of {string.Join(", ", names)}");
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
