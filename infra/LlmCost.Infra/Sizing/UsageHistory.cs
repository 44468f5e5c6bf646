using System.Globalization;
using System.Text.Json;

namespace LlmCost.Infra.Sizing;

/// <summary>One request from a history: when, and how many tokens in and out.</summary>
public readonly record struct HistoricalRequest(DateTimeOffset Timestamp, long InputTokens, long OutputTokens);

/// <summary>
/// Reads a request history, CSV with a header or JSON lines, in the shapes public LLM request traces and the
/// router's own usage records use, and turns it into an hour-of-week demand profile. A malformed line stops the
/// read with its file and line number.
/// </summary>
public static class UsageHistory
{
    private static readonly string[] TimeNames = ["timestamp", "time", "ts", "TIMESTAMP", "requestTime", "startedAt"];
    private static readonly string[] InputNames = ["input_tokens", "inputTokens", "prompt_tokens", "ContextTokens", "actualInputTokens", "request_tokens"];
    private static readonly string[] OutputNames = ["output_tokens", "outputTokens", "completion_tokens", "GeneratedTokens", "actualOutputTokens", "response_tokens"];

    /// <summary>Five years of hours: more is a stray timestamp, not a history.</summary>
    private const long MaxHours = 5 * 8784;

    public static IReadOnlyList<HistoricalRequest> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FormatException($"{path}: no such request history file");
        }

        var lines = File.ReadAllLines(path);
        var firstData = lines.FirstOrDefault(l => l.Trim().Length > 0) ?? throw new FormatException($"{path}: the request history is empty");
        return firstData.TrimStart().StartsWith('{') ? ReadJsonLines(path, lines) : ReadCsv(path, lines);
    }

    /// <summary>Every hour from the first request's hour to the last one's, with its request rate.</summary>
    public static DemandProfile ToProfile(IReadOnlyList<HistoricalRequest> requests, string source)
    {
        if (requests.Count == 0)
        {
            throw new FormatException($"{source}: the request history holds no requests");
        }

        static long HourOf(HistoricalRequest r) => r.Timestamp.ToUnixTimeSeconds() / 3600;
        var first = requests.Min(HourOf);
        var span = requests.Max(HourOf) - first + 1;
        if (span > MaxHours)
        {
            throw new FormatException($"{source}: the history spans {span / 24} days; at most {MaxHours / 24} are read (is one timestamp far off?)");
        }

        var hours = (int)span;
        var counts = new decimal[hours];
        foreach (var request in requests)
        {
            counts[HourOf(request) - first]++;
        }

        return new DemandProfile(
            counts.Select(c => c / 3600m).ToList(),
            (decimal)requests.Average(r => r.InputTokens),
            (decimal)requests.Average(r => r.OutputTokens),
            $"{source}: {requests.Count} requests over {hours} hour(s) from {DateTimeOffset.FromUnixTimeSeconds(first * 3600):yyyy-MM-dd HH:00} UTC");
    }

    private static List<HistoricalRequest> ReadCsv(string path, string[] lines)
    {
        var headerIndex = Array.FindIndex(lines, l => l.Trim().Length > 0);
        var header = lines[headerIndex].Split(',').Select(h => h.Trim().Trim('"')).ToList();
        int Column(string[] names, string what) =>
            header.FindIndex(h => names.Contains(h, StringComparer.OrdinalIgnoreCase)) is var i and >= 0
                ? i
                : throw new FormatException($"{path}: line {headerIndex + 1}: no {what} column; expected one of {string.Join(", ", names)}");
        var (time, input, output) = (Column(TimeNames, "timestamp"), Column(InputNames, "input tokens"), Column(OutputNames, "output tokens"));

        var requests = new List<HistoricalRequest>();
        for (var i = headerIndex + 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            var cells = lines[i].Split(',').Select(c => c.Trim().Trim('"')).ToArray();
            if (cells.Length < header.Count)
            {
                throw new FormatException($"{path}: line {i + 1}: expected {header.Count} columns, got {cells.Length}");
            }

            requests.Add(new HistoricalRequest(Time(path, i + 1, cells[time]), Tokens(path, i + 1, cells[input]), Tokens(path, i + 1, cells[output])));
        }

        return requests;
    }

    private static List<HistoricalRequest> ReadJsonLines(string path, string[] lines)
    {
        var requests = new List<HistoricalRequest>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(lines[i]);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"{path}: line {i + 1}: expected a JSON object per line, got {root.ValueKind}");
                }

                string Field(string[] names, string what) =>
                    names.Select(n => root.TryGetProperty(n, out var v) ? v : default).FirstOrDefault(v => v.ValueKind != JsonValueKind.Undefined) is { ValueKind: not JsonValueKind.Undefined } found
                        ? (found.ValueKind == JsonValueKind.String ? found.GetString()! : found.GetRawText())
                        : throw new FormatException($"{path}: line {i + 1}: no {what} field; expected one of {string.Join(", ", names)}");
                requests.Add(new HistoricalRequest(
                    Time(path, i + 1, Field(TimeNames, "timestamp")),
                    Tokens(path, i + 1, Field(InputNames, "input tokens")),
                    Tokens(path, i + 1, Field(OutputNames, "output tokens"))));
            }
            catch (JsonException e)
            {
                throw new FormatException($"{path}: line {i + 1}: not JSON: {e.Message}");
            }
        }

        return requests;
    }

    /// <summary>ISO 8601, or Unix time in seconds or milliseconds.</summary>
    private static DateTimeOffset Time(string path, int line, string text)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            // Seconds up to year 5138, milliseconds beyond; anything larger (micro- or nanoseconds) is refused.
            return epoch switch
            {
                < 0 or > 253_402_300_799_999 => throw new FormatException($"{path}: line {line}: \"{text}\" is not a timestamp in Unix seconds or milliseconds"),
                > 100_000_000_000 => DateTimeOffset.FromUnixTimeMilliseconds(epoch),
                _ => DateTimeOffset.FromUnixTimeSeconds(epoch),
            };
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FormatException($"{path}: line {line}: \"{text}\" is not a timestamp (ISO 8601 or Unix seconds/milliseconds)");
    }

    private static long Tokens(string path, int line, string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new FormatException($"{path}: line {line}: \"{text}\" is not a token count");
}
