namespace LlmCost.Infra.Sizing;

/// <summary>
/// Where the fleet starts to beat Bedrock for the same model: one instance-hour costs as much as
/// <see cref="TokensPerInstanceHour"/> tokens on Bedrock. The fleet wins when each instance serves more than that;
/// <see cref="ExpectedTokensPerInstanceHour"/> is what it really serves at the sized utilisation.
/// </summary>
public sealed record BreakEven(
    string FleetRoute,
    string BedrockRoute,
    decimal InstanceHourlyUsd,
    decimal BedrockUsdPerMillionTokens,
    decimal TokensPerInstanceHour,
    decimal BreakEvenUtilisation,
    decimal ExpectedTokensPerInstanceHour,
    decimal FleetUsdPerMillionTokens)
{
    public bool FleetIsCheaper => ExpectedTokensPerInstanceHour > TokensPerInstanceHour;

    public static BreakEven Compute(string fleetRoute, string bedrockRoute, decimal instanceHourly, decimal bedrockPerMillion, int tokensPerSecondPerInstance, FleetPlan fleet)
    {
        var breakEvenTokens = bedrockPerMillion == 0 ? decimal.MaxValue : instanceHourly / bedrockPerMillion * 1_000_000m;
        var averageInstances = fleet.InstancesByHour.Count == 0 ? 0 : (decimal)fleet.InstancesByHour.Average();
        var expected = averageInstances == 0 ? 0 : fleet.TokensPerHourServed / averageInstances;
        return new BreakEven(
            fleetRoute,
            bedrockRoute,
            instanceHourly,
            bedrockPerMillion,
            Math.Round(breakEvenTokens, 0),
            Math.Round(breakEvenTokens / (tokensPerSecondPerInstance * 3600m), 4),
            Math.Round(expected, 0),
            expected == 0 ? 0 : Math.Round(instanceHourly / expected * 1_000_000m, 6));
    }
}
