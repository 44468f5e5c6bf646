using System.Text;
using System.Text.Json;

namespace LlmCost.Infra.Sizing.History;

/// <summary>
/// One JSON object per line: flat usage lines, the router's usage records, or OpenAI <c>chat.completion</c>
/// objects, whose token counts sit in a nested <c>usage</c> object (preferred over top-level ones) and whose time is
/// <c>created</c>. Lines are split from the raw bytes and walked with <see cref="Utf8JsonReader"/>, keeping only
/// the three values needed: no document or string per line, so millions of lines read in seconds.
/// </summary>
internal sealed class JsonLinesHistoryReader
{
    private static readonly byte[][] TimeNames = Utf8(HistoryFields.TimeNames);
    private static readonly byte[][] InputNames = Utf8(HistoryFields.InputNames);
    private static readonly byte[][] OutputNames = Utf8(HistoryFields.OutputNames);
    private static readonly byte[] Usage = "usage"u8.ToArray();

    private readonly string _path;
    private readonly Field _time = new();
    private readonly Field _input = new();
    private readonly Field _output = new();

    private JsonLinesHistoryReader(string path) => _path = path;

    public static void Read(Stream stream, string path, HourlyBuckets buckets)
    {
        var reader = new JsonLinesHistoryReader(path);
        var buffer = new byte[1 << 20];
        var (start, end) = (0, 0);
        long line = 0;
        while (true)
        {
            var read = stream.Read(buffer, end, buffer.Length - end);
            end += read;
            int newline;
            while ((newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n')) >= 0)
            {
                reader.Line(buffer.AsSpan(start, newline), ++line, buckets);
                start += newline + 1;
            }

            if (read == 0)
            {
                if (end > start)
                {
                    reader.Line(buffer.AsSpan(start, end - start), ++line, buckets);
                }

                return;
            }

            // Keep the unfinished line: move it to the front, and grow the buffer if one line fills it.
            if (start == 0 && end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            else
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                (start, end) = (0, end - start);
            }
        }
    }

    private void Line(ReadOnlySpan<byte> bytes, long line, HourlyBuckets buckets)
    {
        if (line == 1 && bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        bytes = bytes.Trim(" \t\r"u8);
        if (bytes.IsEmpty)
        {
            return;
        }

        _time.Reset();
        _input.Reset();
        _output.Reset();
        try
        {
            var json = new Utf8JsonReader(bytes);
            json.Read();
            if (json.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException($"{_path}: line {line}: expected a JSON object per line, got {Kind(json.TokenType)}");
            }

            Walk(ref json, nested: false);
            if (json.Read())
            {
                throw new FormatException($"{_path}: line {line}: not JSON: more than one value on the line");
            }
        }
        catch (JsonException e)
        {
            throw new FormatException($"{_path}: line {line}: not JSON: {e.Message}");
        }

        buckets.Add(
            HistoryFields.UnixSeconds(_time.Text("timestamp", HistoryFields.TimeNames, _path, line), _path, line, _time.Name!),
            HistoryFields.Tokens(_input.Text("input tokens", HistoryFields.InputNames, _path, line), _path, line, _input.Name!),
            HistoryFields.Tokens(_output.Text("output tokens", HistoryFields.OutputNames, _path, line), _path, line, _output.Name!));
    }

    /// <summary>Reads an object's properties up to its end; the time is taken at the top level, tokens in <c>usage</c> first.</summary>
    private void Walk(ref Utf8JsonReader json, bool nested)
    {
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var time = nested ? -1 : Match(ref json, TimeNames);
            var input = Match(ref json, InputNames);
            var output = Match(ref json, OutputNames);
            var usage = !nested && json.ValueTextEquals(Usage);
            json.Read();
            if (usage && json.TokenType == JsonTokenType.StartObject)
            {
                Walk(ref json, nested: true);
                continue;
            }

            if (json.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                json.Skip();
                continue;
            }

            if (json.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            var rank = nested ? 0 : 1;
            _time.Offer(ref json, time, 0, HistoryFields.TimeNames);
            _input.Offer(ref json, input, rank, HistoryFields.InputNames);
            _output.Offer(ref json, output, rank, HistoryFields.OutputNames);
        }
    }

    private static int Match(ref Utf8JsonReader json, byte[][] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (json.ValueTextEquals(names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "Array",
        JsonTokenType.String => "String",
        JsonTokenType.Number => "Number",
        JsonTokenType.True => "True",
        JsonTokenType.False => "False",
        JsonTokenType.Null => "Null",
        _ => token.ToString(),
    };

    private static byte[][] Utf8(string[] names) => names.Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>The best value seen on a line for one field: by source (usage object first), then by name order.</summary>
    private sealed class Field
    {
        private char[] _chars = new char[64];
        private int _length;
        private (int Rank, int Name) _best;

        public string? Name { get; private set; }

        public void Reset() => (_best, _length, Name) = ((int.MaxValue, int.MaxValue), 0, null);

        public void Offer(ref Utf8JsonReader json, int name, int rank, string[] names)
        {
            if (name < 0 || (rank, name).CompareTo(_best) >= 0)
            {
                return;
            }

            var size = json.HasValueSequence ? (int)json.ValueSequence.Length : json.ValueSpan.Length;
            if (size > _chars.Length)
            {
                _chars = new char[size];
            }

            // Strings are unescaped; numbers and literals are ASCII as written (374.0 stays 374.0 for the token check).
            _length = json.TokenType == JsonTokenType.String ? json.CopyString(_chars) : Encoding.UTF8.GetChars(json.ValueSpan, _chars);
            (_best, Name) = ((rank, name), names[name]);
        }

        public ReadOnlySpan<char> Text(string what, string[] names, string path, long line) =>
            Name is null
                ? throw new FormatException($"{path}: line {line}: no {what} field; expected one of {string.Join(", ", names)}")
                : _chars.AsSpan(0, _length);
    }
}
