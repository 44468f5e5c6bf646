using System.Globalization;
using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Cli;

/// <summary>The one line near the top of a plan saying what the demand rests on and how it became a month.</summary>
internal static class DemandSummary
{
    public static string Line(DemandProfile demand)
    {
        if (demand.History is not { } h)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"demand: assumed from the stack's config ({demand.Source}), not observed; one week of {demand.RequestsPerSecondByHour.Count} hours repeated to 730 hours");
        }

        var gaps = h.EmptyHours == 0 ? "no gaps" : $"{h.EmptyHours} empty hour(s), longest {h.LongestGapHours} from {h.LongestGapStart:yyyy-MM-dd HH:00} UTC";
        var strays = h.Strays.Count == 0 ? "" : $"; {h.StrayRequests} stray request(s) set aside";
        return string.Create(CultureInfo.InvariantCulture,
            $"history: {demand.Source}, {h.Requests:N0} requests from {h.First:yyyy-MM-dd HH:mm} to {h.End:yyyy-MM-dd HH:mm} UTC ({Duration(h.CoveredHours)} covered), {h.HoursWithData} of {h.HoursInSpan} clock hours with data, {gaps}{strays}; extended to a month as 730 h / {h.CoveredHours:0.##} h covered = x{DemandProfile.HoursPerMonth / h.CoveredHours:0.##}");
    }

    private static string Duration(decimal hours) => hours < 48 ? $"{hours:0.##} h" : $"{hours / 24m:0.#} days";
}
