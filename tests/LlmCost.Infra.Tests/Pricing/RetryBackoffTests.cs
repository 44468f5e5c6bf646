using LlmCost.Aws;
using LlmCost.Infra.Pricing.Live;

namespace LlmCost.Infra.Tests.Pricing;

public sealed class RetryBackoffTests
{
    private static AwsJsonClient Client(double jitter) =>
        new(new HttpClient(), _ => Task.FromResult(new AwsCredentials("AKIDTEST", "secret")), TimeProvider.System, RetryPolicy.Default, () => jitter);

    [Theory]
    // Default policy: base 250 ms doubling per attempt, capped at 4 s; full jitter scales the cap.
    [InlineData(1, 0.5, 125)]
    [InlineData(3, 0.5, 500)]
    [InlineData(5, 0.5, 2000)]
    [InlineData(6, 0.5, 2000)]
    [InlineData(7, 0.999, 3996)]
    [InlineData(2, 0.0, 0)]
    public void Backoff_IsTheInjectedJitterTimesTheCappedExponential(int attempt, double jitter, int expectedMs)
    {
        Client(jitter).Backoff(attempt).TotalMilliseconds.Should().BeApproximately(expectedMs, 0.001);
    }
}
