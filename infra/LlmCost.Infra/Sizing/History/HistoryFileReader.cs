using System.IO.Compression;

namespace LlmCost.Infra.Sizing.History;

/// <summary>
/// Opens a request history, plain or gzip (told by its magic bytes, not its name), decides between JSON lines and
/// CSV by its first non-blank character, and streams every request into <see cref="HourlyBuckets"/>.
/// </summary>
internal static class HistoryFileReader
{
    public static HourlyBuckets Read(string path, char? delimiter = null)
    {
        if (!File.Exists(path))
        {
            throw new FormatException($"{path}: no such request history file");
        }

        var buckets = new HourlyBuckets();
        var first = FirstCharacter(path) ?? throw new FormatException($"{path}: the request history is empty");
        using var reader = OpenText(path);
        if (first == '{')
        {
            JsonLinesHistoryReader.Read(reader, path, buckets);
        }
        else
        {
            CsvHistoryReader.Read(reader, path, delimiter, buckets);
        }

        return buckets;
    }

    private static char? FirstCharacter(string path)
    {
        using var reader = OpenText(path);
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (!char.IsWhiteSpace((char)c))
            {
                return (char)c;
            }
        }

        return null;
    }

    private static StreamReader OpenText(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Span<byte> magic = stackalloc byte[2];
        var gzip = file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        return new StreamReader(stream, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }
}
