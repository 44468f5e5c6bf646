namespace LlmCost.Infra.Components.Fleet;

/// <summary>
/// The target-tracking value for <c>SageMakerVariantInvocationsPerInstance</c>, which SageMaker counts per
/// instance per minute. The plan sizes the fleet in tokens per second, so the target is the same capacity in
/// requests:
/// <code>
/// invocations per instance per minute = tokens/s per instance x target utilisation x 60 / tokens per request
/// </code>
/// e.g. 2000 tokens/s x 0.7 x 60 s = 84,000 tokens a minute; at 700 + 250 tokens a request that is 88.4, so 88
/// (rounded down: scaling out a little early costs less than answering late). Scaling then holds the instances
/// at the utilisation the plan assumed.
/// </summary>
internal static class InvocationTarget
{
    public static int PerInstancePerMinute(int tokensPerSecondPerInstance, decimal targetUtilisation, decimal tokensPerRequest)
    {
        if (tokensPerRequest <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tokensPerRequest), tokensPerRequest, "a request has at least one token");
        }

        var perMinute = tokensPerSecondPerInstance * targetUtilisation * 60m / tokensPerRequest;
        return Math.Max(1, (int)Math.Floor(perMinute));
    }
}
