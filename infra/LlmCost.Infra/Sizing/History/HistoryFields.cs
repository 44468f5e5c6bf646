using System.Globalization;
using LlmCost.CostModel;

namespace LlmCost.Infra.Sizing.History;

/// <summary>
/// The names a request history's fields go by (public traces, OpenAI usage, the router's records) and how their
/// values are read. Every refusal names the file, the line and the field.
/// </summary>
internal static class HistoryFields
{
    // The router's records' names are the usage-record schema's, not guesses; the order (which name wins when a line
    // has several) is as before.
    public static readonly string[] TimeNames = [UsageRecordSchema.Timestamp.Name, "time", "ts", "requestTime", "startedAt", "created"];
    public static readonly string[] InputNames = ["input_tokens", UsageRecordSchema.InputTokens.Name, "prompt_tokens", "ContextTokens", "actualInputTokens", "request_tokens"];
    public static readonly string[] OutputNames = ["output_tokens", UsageRecordSchema.OutputTokens.Name, "completion_tokens", "GeneratedTokens", "actualOutputTokens", "response_tokens"];

    /// <summary>Unix seconds beyond this are milliseconds (seconds would be past the year 5138).</summary>
    private const double MaxUnixSeconds = 100_000_000_000d;

    /// <summary>Unix milliseconds up to 9999-12-31; larger (micro- or nanoseconds) are refused rather than guessed.</summary>
    private const double MaxUnixMilliseconds = 253_402_300_799_999d;

    /// <summary>ISO 8601, or Unix time in seconds or milliseconds (fractions allowed), as Unix seconds.</summary>
    public static double UnixSeconds(ReadOnlySpan<char> text, string path, long line, string field)
    {
        if (IsoTimestamp.TryParse(text, out var iso))
        {
            return iso;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch))
        {
            return epoch switch
            {
                < 0 or > MaxUnixMilliseconds or double.NaN => throw Refuse(path, line, field, text, "is not a timestamp in Unix seconds or milliseconds"),
                > MaxUnixSeconds => epoch / 1000d,
                _ => epoch,
            };
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond
            : throw Refuse(path, line, field, text, "is not a timestamp (ISO 8601 or Unix seconds/milliseconds)");
    }

    /// <summary>A whole, non-negative count; <c>374.0</c> is a whole number written as a decimal and is accepted.</summary>
    public static long Tokens(ReadOnlySpan<char> text, string path, long line, string field)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            return n;
        }

        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && d == decimal.Truncate(d) && d <= long.MaxValue
            ? (long)d
            : throw Refuse(path, line, field, text, "is not a token count (a whole number, at least 0)");
    }

    public static FormatException Refuse(string path, long line, string field, ReadOnlySpan<char> text, string problem) =>
        new($"{path}: line {line}: field {field}: \"{Shorten(text)}\" {problem}");

    private static string Shorten(ReadOnlySpan<char> text) => text.Length > 60 ? string.Concat(text[..57], "...") : text.ToString();
}
