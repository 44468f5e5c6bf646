namespace LlmCost.Infra.Sizing.History;

/// <summary>
/// Turns a history's hourly buckets into demand, from the time it really covers.
/// <list type="bullet">
/// <item>Strays: hours with requests are split into runs wherever more than <see cref="StrayGapHours"/> hours pass
/// without one. Runs at either end of the history that together hold less than <see cref="StrayShare"/> of its
/// requests are stray (a clock set wrong, a test call a year early): reported and left out, so they neither
/// stretch the span nor dilute the demand.</item>
/// <item>Covered time runs from the first kept request to the last plus one mean gap between requests, so that n
/// requests stand for n gaps; each clock hour's rate is its requests over the seconds of it that time covers, and
/// the month is 730 hours over the covered hours.</item>
/// <item>Hours inside the span without a request are zero demand, and counted as gaps.</item>
/// </list>
/// </summary>
internal static class HistoryShaper
{
    public const int StrayGapHours = 24;
    public const decimal StrayShare = 0.01m;

    /// <summary>Five years of hours: a longer kept span is refused rather than allocated.</summary>
    private const long MaxHours = 5 * 8784;

    public static DemandProfile Shape(HourlyBuckets buckets, string source)
    {
        var hours = buckets.Ordered();
        if (hours.Count == 0)
        {
            throw new FormatException($"{source}: the request history holds no requests");
        }

        var (from, to, strays) = KeepBody(hours, buckets.Requests);
        var kept = hours.Skip(from).Take(to - from + 1).ToList();
        var requests = kept.Sum(h => h.Bucket.Requests);
        var first = kept[0].Bucket.FirstSecond;
        var last = kept[^1].Bucket.LastSecond;
        if (requests < 2 || last <= first)
        {
            throw new FormatException($"{source}: a rate needs at least two requests at different times; the history has {requests} request(s) from {Time(first):yyyy-MM-dd HH:mm:ss} UTC");
        }

        var spanHours = kept[^1].Hour - kept[0].Hour + 1;
        if (spanHours > MaxHours)
        {
            throw new FormatException($"{source}: the history spans {spanHours / 24} days; at most {MaxHours / 24} are read");
        }

        var end = last + ((last - first) / (requests - 1));
        var firstHour = kept[0].Hour;
        var lastHour = (long)Math.Ceiling(end / 3600d) - 1;
        var count = (int)(lastHour - firstHour + 1);
        var rates = new decimal[count];
        var weights = new decimal[count];
        var tokensPerRequest = new decimal[count];
        var inputMean = (decimal)kept.Sum(h => h.Bucket.InputTokens) / requests;
        var outputMean = (decimal)kept.Sum(h => h.Bucket.OutputTokens) / requests;
        Array.Fill(tokensPerRequest, inputMean + outputMean);
        for (var i = 0; i < count; i++)
        {
            var start = (firstHour + i) * 3600d;
            // Rounded so decimal sums stay exact; at least a nanohour, so an hour holding a request never divides by zero.
            weights[i] = Math.Max(0.000000001m, (decimal)Math.Round((Math.Min(end, start + 3600d) - Math.Max(first, start)) / 3600d, 9));
        }

        foreach (var (hour, bucket) in kept)
        {
            var i = (int)(hour - firstHour);
            rates[i] = bucket.Requests / (weights[i] * 3600m);
            tokensPerRequest[i] = (decimal)(bucket.InputTokens + bucket.OutputTokens) / bucket.Requests;
        }

        var (gapLength, gapStart) = LongestGap(kept);
        var coverage = new HistoryCoverage(Time(first), Time(end), requests, (decimal)Math.Round((end - first) / 3600d, 4), (int)spanHours, kept.Count,
            gapLength, gapLength == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(gapStart * 3600), strays);
        return new DemandProfile(rates, inputMean, outputMean, source)
        {
            HourWeights = weights,
            TokensPerRequestByHour = tokensPerRequest,
            History = coverage,
        };
    }

    /// <summary>The indices of the first and last kept hour, and the stray runs outside them.</summary>
    private static (int From, int To, List<StrayRun> Strays) KeepBody(IReadOnlyList<(long Hour, HourBucket Bucket)> hours, long total)
    {
        var runs = new List<(int From, int To, long Requests)>();
        var runStart = 0;
        for (var i = 1; i <= hours.Count; i++)
        {
            if (i == hours.Count || hours[i].Hour - hours[i - 1].Hour - 1 > StrayGapHours)
            {
                runs.Add((runStart, i - 1, hours.Skip(runStart).Take(i - runStart).Sum(h => h.Bucket.Requests)));
                runStart = i;
            }
        }

        var limit = StrayShare * total;
        long dropped = 0;
        int head = 0, tail = runs.Count - 1;
        while (head < tail && dropped + runs[head].Requests < limit)
        {
            dropped += runs[head++].Requests;
        }

        while (tail > head && dropped + runs[tail].Requests < limit)
        {
            dropped += runs[tail--].Requests;
        }

        var strays = runs.Take(head).Concat(runs.Skip(tail + 1))
            .Select(r => new StrayRun(Time(hours[r.From].Bucket.FirstSecond), Time(hours[r.To].Bucket.LastSecond), r.Requests)).ToList();
        return (runs[head].From, runs[tail].To, strays);
    }

    private static (int Length, long Start) LongestGap(List<(long Hour, HourBucket Bucket)> kept)
    {
        var (length, start) = (0, 0L);
        for (var i = 1; i < kept.Count; i++)
        {
            var gap = (int)(kept[i].Hour - kept[i - 1].Hour - 1);
            if (gap > length)
            {
                (length, start) = (gap, kept[i - 1].Hour + 1);
            }
        }

        return (length, start);
    }

    private static DateTimeOffset Time(double unixSeconds) => DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(unixSeconds * TimeSpan.TicksPerSecond));
}
