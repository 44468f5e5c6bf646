using LlmCost.Aws;
using LlmCost.Infra.Pricing.Live;

namespace LlmCost.Infra.Tests.Pricing;

/// <summary>The one backoff rule (LlmCost.Aws), with the plan-time policy's figures.</summary>
public sealed class RetryBackoffTests
{
    private static Backoff PlanTime(double jitter) => RetryPolicy.Default.Backoff with { Jitter = () => jitter };

    [Theory]
    // Plan-time policy: base 250 ms doubling per failed attempt, capped at 4 s; full jitter scales the cap.
    [InlineData(1, 0.5, 125)]
    [InlineData(3, 0.5, 500)]
    [InlineData(5, 0.5, 2000)]
    [InlineData(6, 0.5, 2000)]
    [InlineData(7, 0.999, 3996)]
    [InlineData(2, 0.0, 0)]
    public void After_IsTheInjectedJitterTimesTheCappedExponential(int failedAttempt, double jitter, int expectedMs)
    {
        PlanTime(jitter).After(failedAttempt).TotalMilliseconds.Should().BeApproximately(expectedMs, 0.001);
    }

    [Fact]
    public void After_RetryAfterIsAFloor_NotACeiling()
    {
        // 250 x 2^0 x 0.5 = 125 ms: a server's 2 s wins; a server's 50 ms does not shorten the backoff.
        PlanTime(0.5).After(1, TimeSpan.FromSeconds(2)).Should().Be(TimeSpan.FromSeconds(2));
        PlanTime(0.5).After(1, TimeSpan.FromMilliseconds(50)).Should().Be(TimeSpan.FromMilliseconds(125));
    }
}
