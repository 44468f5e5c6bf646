using System.Runtime.InteropServices;

namespace LlmCost.Infra.Sizing.History;

/// <summary>What one clock hour of a history holds: requests, tokens, and its first and last request's time.</summary>
internal struct HourBucket
{
    public long Requests;
    public long InputTokens;
    public long OutputTokens;
    public double FirstSecond;
    public double LastSecond;
}

/// <summary>
/// A history aggregated while it is read: one bucket per clock hour that holds a request, never the requests
/// themselves, so memory grows with the hours a history spans, not with its rows.
/// </summary>
internal sealed class HourlyBuckets
{
    private readonly Dictionary<long, HourBucket> _hours = [];

    public long Requests { get; private set; }

    public void Add(double unixSeconds, long inputTokens, long outputTokens)
    {
        ref var bucket = ref CollectionsMarshal.GetValueRefOrAddDefault(_hours, (long)Math.Floor(unixSeconds / 3600d), out var existed);
        if (!existed)
        {
            bucket.FirstSecond = unixSeconds;
            bucket.LastSecond = unixSeconds;
        }

        bucket.Requests++;
        bucket.InputTokens += inputTokens;
        bucket.OutputTokens += outputTokens;
        bucket.FirstSecond = Math.Min(bucket.FirstSecond, unixSeconds);
        bucket.LastSecond = Math.Max(bucket.LastSecond, unixSeconds);
        Requests++;
    }

    /// <summary>The hours that hold requests, in time order.</summary>
    public IReadOnlyList<(long Hour, HourBucket Bucket)> Ordered() =>
        _hours.OrderBy(h => h.Key).Select(h => (h.Key, h.Value)).ToList();
}
