namespace LlmCost.Infra.Sizing.History;

/// <summary>Requests set aside as stray: a run of hours far from the rest of the history, with too few requests to be part of it.</summary>
internal sealed record StrayRun(DateTimeOffset First, DateTimeOffset Last, long Requests);

/// <summary>
/// What a request history really covers, so the plan can say what it was extrapolated from.
/// </summary>
/// <param name="First">The first kept request.</param>
/// <param name="End">The end of the covered time: the last kept request plus one mean gap between requests.</param>
/// <param name="CoveredHours">End - First, in hours: the time the observed requests stand for.</param>
/// <param name="HoursInSpan">Clock hours from the first kept request's hour to the last one's.</param>
/// <param name="HoursWithData">Of those, the hours holding at least one request.</param>
/// <param name="LongestGapHours">The longest run of clock hours without a request inside the span (0: none).</param>
/// <param name="LongestGapStart">Where that run starts.</param>
internal sealed record HistoryCoverage(
    DateTimeOffset First,
    DateTimeOffset End,
    long Requests,
    decimal CoveredHours,
    int HoursInSpan,
    int HoursWithData,
    int LongestGapHours,
    DateTimeOffset? LongestGapStart,
    IReadOnlyList<StrayRun> Strays)
{
    public int EmptyHours => HoursInSpan - HoursWithData;

    public decimal CoveredDays => CoveredHours / 24m;

    public long StrayRequests => Strays.Sum(s => s.Requests);
}
