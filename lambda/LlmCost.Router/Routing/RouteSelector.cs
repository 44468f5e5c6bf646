using System.Globalization;
using LlmCost.CostModel;
using LlmCost.Router.Chat;
using LlmCost.Router.Configuration;
using LlmCost.Router.Tokens;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Router.Routing;

/// <summary>
/// Picks the route for a validated request and applies the route's limits:
/// <list type="bullet">
/// <item><c>auto</c>: the first tier whose maxScore the complexity score does not exceed; an input too long for that
/// tier moves up to the next tier that takes it.</item>
/// <item>An explicit route name or model ID, where the configuration allows explicit models.</item>
/// <item>A fleet route the fleet cannot take now (throttled, unhealthy) goes to its fallback. A healthy fleet is used:
/// its price in the table is its hourly cost spread over the tokens it serves at target utilisation, capacity paid for
/// whether used or not, so sending its traffic to a cheaper-looking Bedrock route would only lower its utilisation and
/// raise its real price per token. Both figures are in the reason.</item>
/// <item>Input over the route's maxInputTokens: trimmed where the route allows (<see cref="InputTrimmer"/>), else 413 with the numbers.</item>
/// <item>Output capped at the route's maxOutputTokens (the request's max_tokens, or the cap if it asked for none).</item>
/// </list>
/// </summary>
internal sealed class RouteSelector(RouteTable routes, TokenCounter counter, TokenCalibration calibration, FleetHealth fleet)
{
    /// <summary>
    /// Counting stops above this: no route takes more than its maxInputTokens, and the calibration never shrinks a count
    /// below <see cref="TokenCalibration.MinRatio"/> of itself, so a larger count only decides a 413 already decided.
    /// </summary>
    public int CountCap { get; } = (int)Math.Min(int.MaxValue - 1, Math.Ceiling(routes.Config.Routes.Max(r => r.MaxInputTokens) / TokenCalibration.MinRatio));

    /// <summary>Completes when counting can start (the tokenizer's vocabulary may still be loading on a cold start).</summary>
    public Task Ready => counter.Ready;

    public RouteDecision Select(ChatRequest request, AppConfiguration app)
    {
        var counted = counter.Count(request.Messages, CountCap);
        var config = routes.Config;
        RouteConfiguration route;
        string reason;
        ComplexityScore? score = null;
        var candidates = new List<RouteConfiguration>();

        if (request.Model == RouteTable.Auto)
        {
            var s = ComplexityScore.Of(request.Messages, counted, request.MaxTokens);
            score = s;
            var tierIndex = config.Auto.Tiers.Select((t, i) => (t, i)).First(x => (decimal)s.Value <= x.t.MaxScore || x.i == config.Auto.Tiers.Count - 1).i;
            var tier = config.Auto.Tiers[tierIndex];
            route = routes.Route(tier.Route);
            reason = string.Create(CultureInfo.InvariantCulture, $"auto: {s} -> tier {tier.Route} (maxScore {tier.MaxScore})");
            candidates.AddRange(config.Auto.Tiers.Skip(tierIndex).Select(t => routes.Route(t.Route)).Distinct());
        }
        else
        {
            if (!config.Auto.AllowExplicitModels)
            {
                throw new RequestErrorException(RequestError.Invalid("model", $"this stack routes by complexity only; use \"auto\", got \"{Clip(request.Model)}\"") with { Code = "model_not_allowed" });
            }

            route = routes.FindExplicit(request.Model)
                ?? throw new RequestErrorException(RequestError.Invalid("model", $"unknown model \"{Clip(request.Model)}\"; allowed: {string.Join(", ", routes.AllowedModels)}") with { Code = "model_not_found" });
            reason = $"explicit: {request.Model}";
            candidates.Add(route);
        }

        if (route.Backend == Backend.Fleet)
        {
            var unavailable = fleet.Unavailable(route.InvokeId);
            if (unavailable is not null && route.Fallback is not null)
            {
                var fallback = routes.Route(route.Fallback);
                reason += $"; fleet {route.InvokeId} {unavailable} -> fallback {fallback.Name}";
                candidates[0] = fallback;
                route = fallback;
            }
            else if (unavailable is not null)
            {
                reason += $"; fleet {route.InvokeId} {unavailable}, no fallback: trying it anyway";
            }
            else
            {
                reason += "; fleet healthy" + PriceNote(route);
            }
        }

        return Fit(request, app, candidates, counted, reason, score);
    }

    /// <summary>
    /// The limits of <paramref name="route"/> applied to the request, for a fallback after a failed call. Null when
    /// the request does not fit the fallback route (the caller then reports the original failure).
    /// </summary>
    public RouteDecision? ForFallback(RouteDecision failed, ChatRequest request, AppConfiguration app, RouteConfiguration route, string why)
    {
        try
        {
            // Continue from what was sent (possibly trimmed), counted once already.
            return Fit(request with { Messages = failed.Messages }, app, [route], failed.CountedInputTokens, $"{failed.Reason}; {why} -> fallback {route.Name}", failed.Score);
        }
        catch (RequestErrorException)
        {
            return null;
        }
    }

    private RouteDecision Fit(ChatRequest request, AppConfiguration app, List<RouteConfiguration> candidates, int counted, string reason, ComplexityScore? score)
    {
        var limitHits = new List<string>();
        var first = candidates[0];
        IReadOnlyList<ChatMessage>? trimmed = null;
        var trimmedCount = 0;
        foreach (var route in candidates)
        {
            var family = TokenCalibration.Family(route.ModelId);
            var ratio = calibration.Ratio(family);
            var estimate = calibration.Estimate(family, counted);
            var messages = request.Messages;
            var used = counted;
            if (estimate > route.MaxInputTokens && route.TrimInput)
            {
                if (trimmed is null)
                {
                    trimmed = InputTrimmer.Trim(request.Messages);
                    trimmedCount = counter.Count(trimmed, CountCap);
                }

                var trimmedEstimate = calibration.Estimate(family, trimmedCount);
                if (trimmedEstimate <= route.MaxInputTokens)
                {
                    limitHits.Add($"input_trimmed:{estimate}->{trimmedEstimate}");
                    (messages, used, estimate) = (trimmed, trimmedCount, trimmedEstimate);
                }
            }

            if (estimate > route.MaxInputTokens)
            {
                continue;
            }

            if (!ReferenceEquals(route, first))
            {
                limitHits.Add($"input_escalated:{first.Name}->{route.Name}");
                reason += $"; input of about {estimate} tokens is over {first.Name}'s {first.MaxInputTokens} -> {route.Name}";
            }

            var maxOutput = request.MaxTokens is { } asked ? Math.Min(asked, route.MaxOutputTokens) : route.MaxOutputTokens;
            if (request.MaxTokens > route.MaxOutputTokens)
            {
                limitHits.Add($"max_tokens_capped:{request.MaxTokens}->{route.MaxOutputTokens}");
            }

            return new RouteDecision(route, InvokeId(route, app), reason, score, messages, used, ratio, estimate, maxOutput, limitHits);
        }

        if (counted > CountCap)
        {
            throw new RequestErrorException(RequestError.TooLarge(
                "messages",
                string.Create(CultureInfo.InvariantCulture,
                    $"more than {CountCap} input tokens (counting stops there: no route takes more than {CountCap * TokenCalibration.MinRatio:0}), over route \"{first.Name}\"'s limit of {first.MaxInputTokens}"),
                "context_length_exceeded"));
        }

        var firstFamily = TokenCalibration.Family(first.ModelId);
        var firstEstimate = calibration.Estimate(firstFamily, counted);
        var trimNote = first.TrimInput ? $" (after trimming whitespace and repeated messages: about {calibration.Estimate(firstFamily, trimmedCount)})" : "";
        throw new RequestErrorException(RequestError.TooLarge(
            "messages",
            string.Create(CultureInfo.InvariantCulture,
                $"about {firstEstimate} input tokens (counted {counted} x calibration {calibration.Ratio(firstFamily):0.000}){trimNote}, over route \"{first.Name}\"'s limit of {first.MaxInputTokens}"),
            "context_length_exceeded"));
    }

    /// <summary>A Bedrock route with an app inference profile is invoked through it, so the app's spend shows in Cost Explorer.</summary>
    private static string InvokeId(RouteConfiguration route, AppConfiguration app) =>
        route.Backend == Backend.Bedrock && app.Profiles.FirstOrDefault(p => p.Route == route.Name) is { } profile ? profile.Arn.Resolved : route.InvokeId;

    private string PriceNote(RouteConfiguration fleetRoute)
    {
        if (fleetRoute.Fallback is null)
        {
            return "";
        }

        var alternative = routes.Route(fleetRoute.Fallback);
        return string.Create(CultureInfo.InvariantCulture,
            $" (committed capacity; table {fleetRoute.Prices.InputPer1M}/{fleetRoute.Prices.OutputPer1M} vs {alternative.Name} {alternative.Prices.InputPer1M}/{alternative.Prices.OutputPer1M} USD per 1M in/out)");
    }

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "...";
}
