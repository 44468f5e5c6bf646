using System.Net;
using System.Net.Http.Headers;
using LlmCost.Aws;
using LlmCost.Router.Backends;

namespace LlmCost.Router.Budgets;

/// <summary>
/// DynamoDB's JSON protocol (1.0): <c>POST /</c> with <c>X-Amz-Target: DynamoDB_20120810.{Operation}</c>, SigV4 with
/// signing name <c>dynamodb</c> and the function's credentials. Only what the budget ledger needs.
/// </summary>
/// <param name="callTimeout">Default <see cref="CallTimeout"/>; tests about correctness under load, not latency, give more.</param>
internal sealed class DynamoDbClient(HttpClient http, Uri endpoint, string region, Func<string, string?> environment, TimeProvider time, TimeSpan? callTimeout = null)
{
    public static readonly AwsEndpoints.Service Service = new("DynamoDB", "dynamodb", r => new Uri($"https://dynamodb.{r}.amazonaws.com"));

    private const string ContentType = "application/x-amz-json-1.0";

    /// <summary>
    /// A store call never takes the request's whole remaining time: past this it counts as unreachable, and the
    /// configuration's policy decides.
    /// </summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The answer, whatever its status; transport failures and timeouts throw <see cref="BudgetStoreException"/>.</summary>
    public async Task<HttpReply> SendAsync(string operation, byte[] body, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(callTimeout ?? CallTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            return await SendCoreAsync(operation, body, linked.Token);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new BudgetStoreException("timeout");
        }
    }

    private async Task<HttpReply> SendCoreAsync(string operation, byte[] body, CancellationToken cancellationToken)
    {
        AwsCredentials credentials;
        try
        {
            credentials = EnvironmentCredentials.Read(environment);
        }
        catch (BackendException)
        {
            throw new BudgetStoreException("no_credentials");
        }

        var target = $"DynamoDB_20120810.{operation}";
        using var request = SignedRequests.Create(
            HttpMethod.Post, endpoint, [new("content-type", ContentType), new("x-amz-target", target)], body, credentials, region, Service.SigningName, time.GetUtcNow());

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new HttpReply(response.StatusCode, response.Headers, bytes);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new BudgetStoreException("connection_failed");
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && e.InnerException is TimeoutException)
        {
            // The connect timeout surfaces as a cancellation of a token nobody cancelled.
            throw new BudgetStoreException("connection_failed");
        }
    }

    public static bool IsOk(HttpReply reply) => reply.Status == HttpStatusCode.OK;
}

/// <summary>The spend table could not be used; <see cref="Code"/> is bounded (an AWS error code or ours).</summary>
internal sealed class BudgetStoreException(string code) : Exception($"budget store: {code}")
{
    public string Code { get; } = BackendException.SafeCode(code);
}
