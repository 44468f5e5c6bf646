using LlmCost.CostModel;
using LlmCost.Router.Chat;

namespace LlmCost.Router.Routing;

/// <summary>Where a request goes and why, with the figures the limits and the estimate were based on.</summary>
/// <param name="Messages">What is sent: the request's messages, or their trimmed form.</param>
/// <param name="CountedInputTokens">Our o200k_base count of <paramref name="Messages"/>.</param>
/// <param name="EstimatedInputTokens">The count times the route family's calibration ratio.</param>
internal sealed record RouteDecision(
    RouteConfiguration Route,
    string InvokeId,
    string Reason,
    ComplexityScore? Score,
    IReadOnlyList<ChatMessage> Messages,
    int CountedInputTokens,
    double CalibrationRatio,
    int EstimatedInputTokens,
    int MaxOutputTokens,
    IReadOnlyList<string> LimitHits)
{
    public decimal EstimatedCostUsd => RequestCost.WorstCaseUsd(Route.Prices, EstimatedInputTokens, MaxOutputTokens);
}
