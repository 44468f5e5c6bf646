using System.Net.Http.Headers;
using LlmCost.Router.Backends;

namespace LlmCost.Router.Tests;

public sealed class AwsErrorsTests
{
    private static HttpResponseHeaders Headers(string retryAfterMs)
    {
        var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("retry-after-ms", retryAfterMs);
        return response.Headers;
    }

    [Theory]
    [InlineData("250", 250)]
    [InlineData("1e12", 60_000)]
    public void RetryAfter_MillisecondsHeader_IsReadAndCappedAtAMinute(string header, double expectedMs)
    {
        AwsErrors.RetryAfter(Headers(header)).Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("-5")]
    [InlineData("Infinity")]
    [InlineData("soon")]
    public void RetryAfter_InsaneHeader_IsIgnoredNotThrown(string header)
    {
        AwsErrors.RetryAfter(Headers(header)).Should().BeNull();
    }
}
