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
    private readonly Dictionary<long, int> _index = [];
    private readonly List<long> _hours = [];
    private HourBucket[] _buckets = new HourBucket[64];

    // Histories are mostly in time order: the previous row's hour saves a dictionary lookup per row.
    private long _lastHour = long.MinValue;
    private int _lastIndex = -1;

    public long Requests { get; private set; }

    public void Add(double unixSeconds, long inputTokens, long outputTokens)
    {
        var hour = (long)Math.Floor(unixSeconds / 3600d);
        if (hour != _lastHour)
        {
            ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, hour, out var existed);
            if (!existed)
            {
                index = _hours.Count;
                _hours.Add(hour);
                if (index == _buckets.Length)
                {
                    Array.Resize(ref _buckets, _buckets.Length * 2);
                }

                _buckets[index] = new HourBucket { FirstSecond = unixSeconds, LastSecond = unixSeconds };
            }

            (_lastHour, _lastIndex) = (hour, index);
        }

        ref var bucket = ref _buckets[_lastIndex];
        bucket.Requests++;
        bucket.InputTokens += inputTokens;
        bucket.OutputTokens += outputTokens;
        bucket.FirstSecond = Math.Min(bucket.FirstSecond, unixSeconds);
        bucket.LastSecond = Math.Max(bucket.LastSecond, unixSeconds);
        Requests++;
    }

    /// <summary>The hours that hold requests, in time order.</summary>
    public IReadOnlyList<(long Hour, HourBucket Bucket)> Ordered() =>
        _hours.Select((hour, i) => (hour, _buckets[i])).OrderBy(h => h.hour).ToList();
}
