using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Pricing;

/// <summary>
/// Live answers kept on disk, so repeated previews are fast and work offline for a while. One file per query,
/// written whole (temp file, then rename) so a crash never leaves half a cache. Location: <c>LLM_COST_CACHE_DIR</c>,
/// else <c>$XDG_CACHE_HOME/llm-cost</c>, else <c>~/.cache/llm-cost</c>.
/// </summary>
internal sealed class PriceCache(string directory, TimeProvider time)
{
    public string Directory { get; } = directory;

    public static string DefaultDirectory(Func<string, string?> environment) =>
        environment("LLM_COST_CACHE_DIR") is { Length: > 0 } explicitDir ? explicitDir
        : environment("XDG_CACHE_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "llm-cost")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "llm-cost");

    /// <summary>Part of each file's name: a cache written in another layout is not read (it is a miss, not a misread).</summary>
    public const int FormatVersion = 2;

    public sealed record Entry(DateTimeOffset FetchedAt, PriceBook Book);

    public string PathFor(PriceQuery query)
    {
        var key = $"{query.Region}|{string.Join(",", query.BedrockModels.Order(StringComparer.Ordinal))}|{query.FleetPlatform?.Name()}|{query.FleetInstanceType}";
        return Path.Combine(Directory, $"prices-v{FormatVersion}-{query.Region}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16]}.json");
    }

    public Entry? Read(PriceQuery query)
    {
        var path = PathFor(query);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            var file = JsonSerializer.Deserialize(stream, PricingJsonContext.Default.CacheFile);
            return file?.Book is null ? null : new Entry(file.FetchedAt, file.Book);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // A damaged cache is no cache: the caller fetches again or falls back.
            return null;
        }
    }

    public void Write(PriceQuery query, PriceBook book)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathFor(query);
        var temp = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(new CacheFile(time.GetUtcNow(), book), PricingJsonContext.Default.CacheFile));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>How old the entry is; one from the future (a clock moved back) counts as infinitely old.</summary>
    public TimeSpan Age(Entry entry) => time.GetUtcNow() - entry.FetchedAt is var age && age >= TimeSpan.Zero ? age : TimeSpan.MaxValue;
}

internal sealed record CacheFile(DateTimeOffset FetchedAt, PriceBook Book);
