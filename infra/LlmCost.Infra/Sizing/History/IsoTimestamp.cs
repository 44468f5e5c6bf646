namespace LlmCost.Infra.Sizing.History;

/// <summary>
/// A fast path for the timestamps histories mostly hold, <c>yyyy-MM-dd[T ]HH:mm:ss[.f...][Z|±hh:mm|±hhmm]</c>:
/// a general date parser costs more than the rest of a row's work together. Anything else is left to the caller's
/// general parser; no offset means UTC.
/// </summary>
internal static class IsoTimestamp
{
    public static bool TryParse(ReadOnlySpan<char> s, out double unixSeconds)
    {
        unixSeconds = 0;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':'
            || !Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second)
            || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var i = 19;
        var fraction = 0d;
        if (i < s.Length && s[i] == '.')
        {
            var scale = 0.1d;
            var start = ++i;
            for (; i < s.Length && char.IsAsciiDigit(s[i]); i++, scale /= 10)
            {
                fraction += (s[i] - '0') * scale;
            }

            if (i == start)
            {
                return false;
            }
        }

        var offsetMinutes = 0;
        if (i < s.Length)
        {
            if (s[i] == 'Z' && i == s.Length - 1)
            {
                i++;
            }
            else if ((s[i] == '+' || s[i] == '-') && Offset(s[(i + 1)..], out var minutes))
            {
                offsetMinutes = s[i] == '-' ? -minutes : minutes;
                i = s.Length;
            }
            else
            {
                return false;
            }
        }

        var days = DaysFromCivil(year, month, day);
        unixSeconds = (days * 86400d) + (hour * 3600) + (minute * 60) + second + fraction - (offsetMinutes * 60);
        return true;
    }

    private static bool Offset(ReadOnlySpan<char> s, out int minutes)
    {
        minutes = 0;
        var minuteAt = s.Length == 5 && s[2] == ':' ? 3 : 2;
        if (s.Length != minuteAt + 2 || !Digits(s, 0, 2, out var h) || !Digits(s, minuteAt, 2, out var m) || h > 23 || m > 59)
        {
            return false;
        }

        minutes = (h * 60) + m;
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).</summary>
    private static long DaysFromCivil(int y, int m, int d)
    {
        y -= m <= 2 ? 1 : 0;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - (era * 400);
        var doy = ((153 * (m + (m > 2 ? -3 : 9))) + 2) / 5 + d - 1;
        var doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
        return (era * 146097L) + doe - 719468;
    }
}
