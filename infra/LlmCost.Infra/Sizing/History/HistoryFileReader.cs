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

        RefuseOtherCompression(path);
        var buckets = new HourlyBuckets();
        var first = FirstCharacter(path) ?? throw new FormatException($"{path}: the request history is empty");
        if (first == '[')
        {
            throw new FormatException($"{path}: line 1: a JSON array is not read; write one JSON object per line (JSON lines)");
        }

        if (first == '{')
        {
            using var stream = Open(path);
            JsonLinesHistoryReader.Read(stream, path, buckets);
        }
        else
        {
            using var reader = new StreamReader(Open(path), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            CsvHistoryReader.Read(reader, path, delimiter, buckets);
        }

        return buckets;
    }

    /// <summary>Zip and zstd are not read: saying so beats a CSV error about a header of binary noise.</summary>
    private static void RefuseOtherCompression(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        var read = file.Read(magic);
        if (read >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
        {
            throw new FormatException($"{path}: zstd-compressed; decompress it or recompress with gzip (gzip is read directly)");
        }

        if (read >= 2 && magic[0] == (byte)'P' && magic[1] == (byte)'K')
        {
            throw new FormatException($"{path}: a zip archive; extract the history or compress it with gzip (gzip is read directly)");
        }
    }

    private static char? FirstCharacter(string path)
    {
        using var reader = new StreamReader(Open(path));
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

    private static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Span<byte> magic = stackalloc byte[2];
        var gzip = file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        return gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
