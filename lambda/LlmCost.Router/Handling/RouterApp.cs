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
/// <c>AWS_ENDPOINT_URL_*</c> overrides) and the tokenizer. This is the Lambda's init phase; anything wrong here is an
/// init error, reported before the first request.
/// </summary>
internal static class RouterApp
{
    /// <summary>
    /// The ECS fleet's OpenAI-compatible base URL. When set, fleet routes call it; when not, they call the SageMaker
    /// endpoint named by the route's invokeId. (The router configuration has no fleet transport field yet.)
    /// </summary>
    public const string FleetUrlVariable = "LLM_COST_FLEET_URL";

    /// <param name="output">Where usage records go (stdout in Lambda).</param>
    /// <param name="diagnostics">Where unexpected errors' stack traces go (stderr in Lambda); none when null.</param>
    public static RouterHandler Create(Func<string, string?> environment, TimeProvider time, TextWriter output, HttpClient http, TokenCounter? counter = null, RetryPolicy? retry = null, TextWriter? diagnostics = null)
    {
        var config = RouterConfigurationLoader.FromEnvironment(environment);
        return Create(config, environment, time, output, http, counter, retry, diagnostics);
    }

    public static RouterHandler Create(RouterConfiguration config, Func<string, string?> environment, TimeProvider time, TextWriter output, HttpClient http, TokenCounter? counter = null, RetryPolicy? retry = null, TextWriter? diagnostics = null)
    {
        var routes = new RouteTable(config);
        var bedrock = new BedrockConverseClient(http, AwsEndpoints.Resolve(AwsEndpoints.BedrockRuntime, config.Region, environment), config.Region, environment, time);
        var fleetUrl = environment(FleetUrlVariable);
        var fleetBackend = string.IsNullOrWhiteSpace(fleetUrl)
            ? FleetChatClient.SageMaker(http, AwsEndpoints.Resolve(AwsEndpoints.SageMakerRuntime, config.Region, environment), config.Region, environment, time)
            : FleetChatClient.OpenAiCompatible(http, ParseUrl(fleetUrl), time);

        var tokens = counter ?? TokenCounter.CreateO200kBase();
        var calibration = new TokenCalibration();
        var fleet = new FleetHealth(time);
        var selector = new RouteSelector(routes, tokens, calibration, fleet);
        var caller = new BackendCaller(backend => backend == "fleet" ? fleetBackend : bedrock, fleet, retry ?? RetryPolicy.Default, time);
        var budgets = new BudgetLedger(
            config.Budgets is null ? null : new DynamoDbClient(http, AwsEndpoints.Resolve(DynamoDbClient.Service, config.Region, environment), config.Region, environment, time),
            config, time);
        return new RouterHandler(routes, selector, caller, calibration, budgets, new UsageRecordWriter(output), time, diagnostics ?? TextWriter.Null, tokens,
            backend => backend == "fleet" ? fleetBackend : bedrock);
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

    private static Uri ParseUrl(string value) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https")
            ? uri
            : throw new RouterConfigurationException($"{FleetUrlVariable} must be an absolute http(s) URL, got \"{(value.Length > 12 ? value[..12] + "..." : value)}\" (shortened: it may carry credentials).");
}
