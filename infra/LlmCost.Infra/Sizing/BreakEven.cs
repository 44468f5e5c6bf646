namespace LlmCost.Infra.Sizing;

/// <summary>
/// Where the fleet starts to beat Bedrock for the same traffic: one instance-hour costs as much as
/// <see cref="TokensPerInstanceHour"/> tokens on Bedrock at the on-demand rate, and
/// <see cref="EffectiveTokensPerInstanceHour"/> at the effective rate of the cheapest fleet option the evidence
/// allows (<see cref="AtOption"/>, on demand or with a commitment). The fleet wins when each instance serves more
/// than the latter; <see cref="ExpectedTokensPerInstanceHour"/> is what it really serves. Overflow is served by
/// Bedrock either way, so this agrees with the whole decision.
/// </summary>
internal sealed record BreakEven(
    string FleetRoute,
    string BedrockRoute,
    decimal InstanceHourlyUsd,
    decimal BedrockUsdPerMillionTokens,
    decimal TokensPerInstanceHour,
    decimal BreakEvenUtilisation,
    decimal ExpectedTokensPerInstanceHour,
    decimal FleetUsdPerMillionTokens,
    string AtOption,
    decimal EffectiveInstanceHourlyUsd,
    decimal EffectiveTokensPerInstanceHour)
{
    public bool FleetIsCheaper => ExpectedTokensPerInstanceHour > EffectiveTokensPerInstanceHour;

    public static BreakEven Compute(
        string fleetRoute, string bedrockRoute, decimal instanceHourly, decimal bedrockPerMillion, int tokensPerSecondPerInstance, FleetPlan fleet,
        string atOption, decimal effectiveHourly)
    {
        decimal Tokens(decimal hourly) => bedrockPerMillion == 0 ? decimal.MaxValue : Math.Round(hourly / bedrockPerMillion * 1_000_000m, 0);
        var breakEvenTokens = Tokens(instanceHourly);
        var expected = fleet.AverageInstances == 0 ? 0 : fleet.TokensPerHourServed / fleet.AverageInstances;
        return new BreakEven(
            fleetRoute,
            bedrockRoute,
            instanceHourly,
            bedrockPerMillion,
            breakEvenTokens,
            Math.Round(breakEvenTokens / (tokensPerSecondPerInstance * 3600m), 4),
            Math.Round(expected, 0),
            expected == 0 ? 0 : Math.Round(instanceHourly / expected * 1_000_000m, 6),
            atOption,
            Math.Round(effectiveHourly, 6),
            Tokens(effectiveHourly));
    }
}
