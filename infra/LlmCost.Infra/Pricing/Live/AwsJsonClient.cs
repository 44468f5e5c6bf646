using System.Net;
using System.Text;
using System.Text.Json;
using LlmCost.Aws;

namespace LlmCost.Infra.Pricing.Live;

/// <summary>How hard to try: attempts, backoff and the total deadline every attempt must fit in.</summary>
internal sealed record RetryPolicy(int MaxAttempts, Backoff Backoff, TimeSpan AttemptTimeout)
{
    public static RetryPolicy Default { get; } = new(5, new Backoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(4), Backoff.RandomJitter), TimeSpan.FromSeconds(10));
}

/// <summary>
/// Signed JSON POSTs to an AWS API with the standard retry behaviour: throttling, 5xx and timeouts are retried
/// with full-jitter exponential backoff, all within one deadline; any other error, or an answer that is not
/// JSON, stops at once with a message naming the operation.
/// </summary>
internal sealed class AwsJsonClient(HttpClient http, Func<CancellationToken, Task<AwsCredentials>> credentials, TimeProvider time, RetryPolicy policy)
{
    public Task<JsonDocument> PostAsync(
        string operation, Uri uri, string signingService, string signingRegion, IReadOnlyList<KeyValuePair<string, string>> headers, string body, CancellationToken deadline) =>
        SendAsync(HttpMethod.Post, operation, uri, signingService, signingRegion, headers, Encoding.UTF8.GetBytes(body), deadline);

    /// <summary>A signed GET of a REST-JSON operation (no body; parameters in the query string of <paramref name="uri"/>).</summary>
    public Task<JsonDocument> GetAsync(string operation, Uri uri, string signingService, string signingRegion, CancellationToken deadline) =>
        SendAsync(HttpMethod.Get, operation, uri, signingService, signingRegion, [], [], deadline);

    private async Task<JsonDocument> SendAsync(
        HttpMethod method, string operation, Uri uri, string signingService, string signingRegion, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] bytes, CancellationToken deadline)
    {
        Exception? last = null;
        for (var attempt = 1; attempt <= policy.MaxAttempts; attempt++)
        {
            deadline.ThrowIfCancellationRequested();
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(deadline);
            attemptTimeout.CancelAfter(policy.AttemptTimeout);
            try
            {
                using var request = SignedRequests.Create(
                    method, uri, headers, method == HttpMethod.Get ? null : bytes, await credentials(deadline), signingRegion, signingService, time.GetUtcNow());

                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token);
                var text = await response.Content.ReadAsStringAsync(attemptTimeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    try
                    {
                        return JsonDocument.Parse(text);
                    }
                    catch (JsonException e)
                    {
                        throw new PricingException($"{operation}: malformed answer from {uri.Host} (not JSON: {e.Message})");
                    }
                }

                var error = ErrorCode(response, text);
                last = new AwsServiceException($"{operation}: HTTP {(int)response.StatusCode} {error}", (int)response.StatusCode, error.Split(':')[0]);
                if (!Retryable(response.StatusCode, error))
                {
                    throw last;
                }
            }
            catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
            {
                last = new PricingException($"{operation}: no answer within {policy.AttemptTimeout.TotalSeconds:0.#} s");
            }
            catch (HttpRequestException e)
            {
                last = new PricingException($"{operation}: {e.Message}", e);
            }

            if (attempt < policy.MaxAttempts)
            {
                await Task.Delay(policy.Backoff.After(attempt), time, deadline);
            }
        }

        throw new PricingException($"{operation}: gave up after {policy.MaxAttempts} attempts; last: {last?.Message}", last);
    }

    /// <summary>
    /// AWS messages end up in plans and stack outputs: keep their first line, short, and never one that quotes the
    /// request (a signature error can echo the canonical request, session token included).
    /// </summary>
    private static string Sanitize(string message)
    {
        var line = message.Split('\n')[0].Trim();
        if (line.Contains("security-token", StringComparison.OrdinalIgnoreCase) || line.Contains("canonical", StringComparison.OrdinalIgnoreCase))
        {
            return "(message withheld: it quotes the signed request)";
        }

        return line.Length > 200 ? line[..200] + "..." : line;
    }

    private static bool Retryable(HttpStatusCode status, string error) =>
        (int)status >= 500 || status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout
        || error.Contains("Throttl", StringComparison.OrdinalIgnoreCase) || error.Contains("TooManyRequests", StringComparison.Ordinal);

    /// <summary>The AWS error code: header <c>x-amzn-ErrorType</c>, else the body's <c>__type</c> or <c>code</c>, trimmed of namespace and URL.</summary>
    private static string ErrorCode(HttpResponseMessage response, string body)
    {
        string? code = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                code ??= root.TryGetProperty("__type", out var t) ? t.GetString() : root.TryGetProperty("code", out var c) ? c.GetString() : null;
                message = root.TryGetProperty("message", out var m) ? m.GetString() : root.TryGetProperty("Message", out var m2) ? m2.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // An error body that is not JSON still has a status; report that.
        }

        code = code?.Split(':')[0];
        code = code?[(code.LastIndexOf('#') + 1)..];
        return $"{code ?? "error"}{(message is null ? "" : ": " + Sanitize(message))}";
    }
}
