using System.Text;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.CostModel.Vocabulary;
using LlmCost.Router.Backends;
using LlmCost.Router.Handling;
using LlmCost.Router.Local;
using LlmCost.Router.Tests.Servers;
using LlmCost.Router.Tokens;

namespace LlmCost.Router.Tests;

/// <summary>
/// The real handler wired to local servers that speak Bedrock Converse and SageMaker/OpenAI wire formats, through the
/// standard endpoint-override variables; usage records captured from the writer's output.
/// </summary>
internal sealed class RouterHarness : IAsyncDisposable
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string SessionToken = "session-token-example";

    private static readonly Lazy<TokenCounter> SharedCounter = new(TokenCounter.CreateO200kBase);
    private readonly StringWriter _output;
    private readonly HttpClient _http;

    private RouterHarness(ScriptedBackend bedrock, ScriptedBackend fleet, RouterHandler handler, Dictionary<string, string?> environment, StringWriter output, HttpClient http)
    {
        _output = output;
        _http = http;
        Bedrock = bedrock;
        Fleet = fleet;
        Handler = handler;
        Environment = environment;
    }

    public static TokenCounter Counter => SharedCounter.Value;

    /// <summary>No waiting between retries in tests (jitter 0); the deadline logic is the production one.</summary>
    public static RetryPolicy FastRetries { get; } = RetryPolicy.Default with { Backoff = RetryPolicy.Default.Backoff with { Jitter = () => 0 } };

    public ScriptedBackend Bedrock { get; }

    public ScriptedBackend Fleet { get; }

    public RouterHandler Handler { get; }

    public Dictionary<string, string?> Environment { get; }

    public static async Task<RouterHarness> StartAsync(RouterConfiguration? config = null, bool fleetIsEcs = false, RetryPolicy? retry = null, IReadOnlyDictionary<string, string>? extraEnvironment = null, TimeSpan? budgetStoreTimeout = null)
    {
        var bedrock = await ScriptedBackend.StartAsync();
        var fleet = await ScriptedBackend.StartAsync();
        fleet.Default = Replies.OpenAiOk("Hi from the fleet.", 20, 5);
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = bedrock.BaseUri.ToString(),
            ["AWS_ACCESS_KEY_ID"] = AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
            ["AWS_SESSION_TOKEN"] = SessionToken,
        };
        environment["AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME"] = fleet.BaseUri.ToString();
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var output = new StringWriter();
        var http = RouterApp.CreateHttpClient();
        config ??= TestConfig.Prod();
        if (fleetIsEcs)
        {
            // An ECS fleet: its routes reach the service's OpenAI-compatible URL, as the document says.
            config = config with
            {
                Routes = config.Routes.Select(r => r.Backend == Backend.Fleet
                    ? r with { Transport = new FleetTransport(FleetTransportKind.OpenAiHttp, fleet.BaseUri.ToString()) }
                    : r).ToList(),
            };
        }

        var handler = RouterApp.Create(config, name => environment.GetValueOrDefault(name), TimeProvider.System, output, http, Counter, retry ?? FastRetries, budgetStoreTimeout: budgetStoreTimeout);
        return new RouterHarness(bedrock, fleet, handler, environment, output, http);
    }

    /// <summary>Every usage record written so far, parsed.</summary>
    public IReadOnlyList<JsonElement> Records =>
        _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    public Task<Result> ChatAsync(string body, string clientId = TestConfig.SupportClient, TimeSpan? deadline = null) =>
        SendAsync("POST", "/v1/chat/completions", Encoding.UTF8.GetBytes(body), clientId, deadline);

    public async Task<Result> SendAsync(string method, string path, byte[] body, string? clientId = TestConfig.SupportClient, TimeSpan? deadline = null)
    {
        var proxyEvent = LocalHost.ProxyEvent(method, path, [new("Content-Type", "application/json")], body, $"req-{Guid.NewGuid():N}", clientId ?? "");
        if (clientId is null)
        {
            // No authorizer at all: drop the claims the helper adds.
            var node = System.Text.Json.Nodes.JsonNode.Parse(proxyEvent)!;
            node["requestContext"]!.AsObject().Remove("authorizer");
            proxyEvent = Encoding.UTF8.GetBytes(node.ToJsonString());
        }

        return await SendEventAsync(proxyEvent, deadline);
    }

    public async Task<Result> SendEventAsync(byte[] proxyEvent, TimeSpan? deadline = null)
    {
        var before = Records.Count;
        var info = new InvocationInfo("lambda-req-1", TimeProvider.System.GetUtcNow() + (deadline ?? TimeSpan.FromSeconds(29)), "Root=1-abc;Sampled=1");
        var response = await Handler.HandleAsync(proxyEvent, info, CancellationToken.None);
        var records = Records.Skip(before).ToList();
        return new Result(response.StatusCode, response.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase), JsonDocument.Parse(response.Body).RootElement.Clone(), records);
    }

    public async ValueTask DisposeAsync()
    {
        await Bedrock.DisposeAsync();
        await Fleet.DisposeAsync();
        _http.Dispose();
        _output.Dispose();
    }

    /// <summary>One request's outcome: status, headers, body, and the usage records it wrote.</summary>
    internal sealed record Result(int Status, IReadOnlyDictionary<string, string> Headers, JsonElement Body, IReadOnlyList<JsonElement> Records)
    {
        public JsonElement Record => Records.Should().ContainSingle().Subject;

        public string ErrorMessage => Body.GetProperty("error").GetProperty("message").GetString()!;

        public string? ErrorParam => Body.GetProperty("error").GetProperty("param").GetString();
    }
}
