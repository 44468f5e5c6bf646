using nietras.SeparatedValues;

namespace LlmCost.Infra.Sizing.History;

/// <summary>
/// CSV with a header, read by Sep: quoted fields with delimiters and doubled quotes inside, and the delimiter
/// detected from the header (comma, semicolon, tab, pipe) unless one is given.
/// </summary>
internal static class CsvHistoryReader
{
    public static void Read(TextReader text, string path, char? delimiter, HourlyBuckets buckets)
    {
        var options = new SepReaderOptions(delimiter is { } d ? new Sep(d) : null)
        {
            Unescape = true,
            Trim = SepTrim.All,
            DisableColCountCheck = true,
        };

        using var reader = options.From(text);
        var names = reader.Header.ColNames;
        int Column(string[] candidates, string what)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (candidates.Contains(names[i], StringComparer.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            throw new FormatException($"{path}: line 1: no {what} column; expected one of {string.Join(", ", candidates)} (columns read: {string.Join(", ", names)})");
        }

        var (time, input, output) = (Column(HistoryFields.TimeNames, "timestamp"), Column(HistoryFields.InputNames, "input tokens"), Column(HistoryFields.OutputNames, "output tokens"));
        var needed = Math.Max(time, Math.Max(input, output)) + 1;
        var (timeName, inputName, outputName) = (names[time], names[input], names[output]);
        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            if (row.ColCount < needed)
            {
                if (row.ColCount == 1 && row[0].Span.IsWhiteSpace())
                {
                    continue;
                }

                throw new FormatException($"{path}: line {line}: expected {names.Count} columns, got {row.ColCount}");
            }

            buckets.Add(
                HistoryFields.UnixSeconds(row[time].Span, path, line, timeName),
                HistoryFields.Tokens(row[input].Span, path, line, inputName),
                HistoryFields.Tokens(row[output].Span, path, line, outputName));
        }
    }
}
