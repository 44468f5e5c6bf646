using LlmCost.Aws;
using LlmCost.CostModel;
using LlmCost.Router.Backends;
using LlmCost.Router.Budgets;
using LlmCost.Router.Configuration;
using LlmCost.Router.Routing;
using LlmCost.Router.Tokens;
using LlmCost.Router.Usage;

namespace LlmCost.Router.Handling;

/// <summary>
/// Builds the router from its environment: the configuration document, the backend endpoints (with the standard
/// <c>AWS_ENDPOINT_URL_*</c> overrides; a fleet route's transport from the document) and the tokenizer. This is the Lambda's init phase; anything wrong here is an
/// init error, reported before the first request.
/// </summary>
internal static class RouterApp
{
    /// <param name="output">Where usage records go (stdout in Lambda).</param>
    /// <param name="diagnostics">Where unexpected errors' stack traces go (stderr in Lambda); none when null.</param>
    public static RouterHandler Create(Func<string, string?> environment, TimeProvider time, TextWriter output, HttpClient http, TokenCounter? counter = null, RetryPolicy? retry = null, TextWriter? diagnostics = null)
    {
        var config = RouterConfigurationLoader.FromEnvironment(environment);
        return Create(config, environment, time, output, http, counter, retry, diagnostics);
    }

    public static RouterHandler Create(RouterConfiguration config, Func<string, string?> environment, TimeProvider time, TextWriter output, HttpClient http, TokenCounter? counter = null, RetryPolicy? retry = null, TextWriter? diagnostics = null, TimeSpan? budgetStoreTimeout = null)
    {
        var routes = new RouteTable(config);
        var bedrock = new BedrockConverseClient(http, AwsEndpoints.Resolve(AwsEndpoints.BedrockRuntime, config.Region, environment), config.Region, environment, time);
        var backends = new RouteBackends(config, bedrock, http, environment, time);
        var tokens = counter ?? TokenCounter.CreateO200kBase();
        var calibration = new TokenCalibration();
        var fleet = new FleetHealth(time);
        var selector = new RouteSelector(routes, tokens, calibration, fleet);
        var caller = new BackendCaller(backends.For, fleet, retry ?? RetryPolicy.Default, time);
        var budgets = new BudgetLedger(
            config.Budgets is null ? null : new DynamoDbClient(http, AwsEndpoints.Resolve(DynamoDbClient.Service, config.Region, environment), config.Region, environment, time, budgetStoreTimeout),
            config, time);
        return new RouterHandler(routes, selector, caller, calibration, budgets, new UsageRecordWriter(output), time, diagnostics ?? TextWriter.Null, tokens,
            backends.StreamingFor);
    }

    /// <summary>One HTTP client for every backend: pooled connections, no client-wide timeout (each call has its own, from the deadline).</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(3),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
