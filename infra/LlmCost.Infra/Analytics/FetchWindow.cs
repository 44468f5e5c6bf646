using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmCost.Infra.Analytics;

/// <summary>
/// What <c>usage fetch --since</c> covers: the UTC days from the day <see cref="Since"/> falls on to today, both
/// whole. The delivery stream writes one prefix per UTC day of arrival (<c>records/dt=YYYY-MM-DD/</c>) and the
/// fetch copies whole objects, so a window is whole days: <c>24h</c> at 10:00 is yesterday and today.
/// </summary>
internal sealed partial record FetchWindow(DateTimeOffset Since, DateOnly FirstDay, DateOnly LastDay)
{
    public const string Flag = "--since";

    /// <summary>No partition is older than the table's projection start, and no bucket keeps more than ten years.</summary>
    public const int MaxDays = 3650;

    public IEnumerable<DateOnly> Days()
    {
        for (var day = FirstDay; day <= LastDay; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    public bool Contains(DateOnly day) => day >= FirstDay && day <= LastDay;

    public override string ToString() =>
        FirstDay == LastDay ? Day(FirstDay) : $"{Day(FirstDay)} to {Day(LastDay)}";

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A whole number of days, hours or minutes back from now (<c>7d</c>, <c>24h</c>, <c>90m</c>).</summary>
    public static FetchWindow Parse(string? text, DateTimeOffset now)
    {
        var match = Duration().Match(text ?? "");
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count == 0)
        {
            throw new FormatException($"{Flag}: expected a duration such as 7d, 24h or 90m (a whole number of days, hours or minutes), got \"{text}\"");
        }

        var length = match.Groups[2].Value switch
        {
            "d" => TimeSpan.FromDays(Math.Min(count, MaxDays + 1)),
            "h" => TimeSpan.FromHours(Math.Min(count, (MaxDays + 1) * 24L)),
            _ => TimeSpan.FromMinutes(Math.Min(count, (MaxDays + 1) * 24L * 60)),
        };
        if (length > TimeSpan.FromDays(MaxDays))
        {
            throw new FormatException($"{Flag}: at most {MaxDays} days (the longest retention a stack can set), got \"{text}\"");
        }

        var since = now - length;
        return new FetchWindow(since, DateOnly.FromDateTime(since.UtcDateTime), DateOnly.FromDateTime(now.UtcDateTime));
    }

    [GeneratedRegex("^([0-9]{1,9})([dhm])$", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
