using LlmCost.Infra.Sizing.History;

namespace LlmCost.Infra.Sizing;

/// <summary>One request from a history: when, and how many tokens in and out.</summary>
internal readonly record struct HistoricalRequest(DateTimeOffset Timestamp, long InputTokens, long OutputTokens);

/// <summary>
/// A request history as demand: read as a stream (CSV or JSON lines, plain or gzip) into hourly buckets, then
/// shaped from the time it really covers (see <see cref="HistoryShaper"/>). A malformed line stops the read with
/// its file, line and field.
/// </summary>
internal static class UsageHistory
{
    public static DemandProfile Load(string path, string source, char? delimiter = null) =>
        HistoryShaper.Shape(HistoryFileReader.Read(path, delimiter), source);

    /// <summary>Requests already in memory (tests, generated histories) shaped the same way as a file's.</summary>
    public static DemandProfile ToProfile(IEnumerable<HistoricalRequest> requests, string source)
    {
        var buckets = new HourlyBuckets();
        foreach (var r in requests)
        {
            buckets.Add((r.Timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond, r.InputTokens, r.OutputTokens);
        }

        return HistoryShaper.Shape(buckets, source);
    }
}
