using LlmCost.Aws;
using LlmCost.CostModel;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Router.Backends;

/// <summary>
/// Which client serves a route: Bedrock, or the fleet through the transport the route names (a SageMaker endpoint,
/// signed; or an ECS service's OpenAI-compatible URL). Built once at init from the document, so a route can never
/// reach a backend the stack did not configure.
/// </summary>
internal sealed class RouteBackends
{
    private readonly BedrockConverseClient _bedrock;
    private readonly Dictionary<string, FleetChatClient> _fleetByRoute = new(StringComparer.Ordinal);

    public RouteBackends(RouterConfiguration config, BedrockConverseClient bedrock, HttpClient http, Func<string, string?> environment, TimeProvider time)
    {
        _bedrock = bedrock;
        FleetChatClient? sageMaker = null;
        var byUrl = new Dictionary<string, FleetChatClient>(StringComparer.Ordinal);
        foreach (var route in config.Routes.Where(r => r.Backend == Backend.Fleet))
        {
            // The validator has checked the transport; a document that skipped it still fails here, at init.
            var transport = route.Transport ?? throw new InvalidOperationException($"route \"{route.Name}\" has no fleet transport");
            _fleetByRoute[route.Name] = transport.Kind switch
            {
                FleetTransportKind.SageMakerEndpoint => sageMaker ??= FleetChatClient.SageMaker(
                    http, AwsEndpoints.Resolve(AwsEndpoints.SageMakerRuntime, config.Region, environment), config.Region, environment, time),
                FleetTransportKind.OpenAiHttp => OpenAi(transport.Url!.Resolved),
                _ => throw new InvalidOperationException($"route \"{route.Name}\": transport {transport.Kind} is not served"),
            };
        }

        FleetChatClient OpenAi(string url) =>
            byUrl.TryGetValue(url, out var client) ? client : byUrl[url] = FleetChatClient.OpenAiCompatible(http, new Uri(url), time);
    }

    public IChatBackend For(RouteConfiguration route) => route.Backend == Backend.Fleet ? _fleetByRoute[route.Name] : _bedrock;

    public IStreamingBackend StreamingFor(RouteConfiguration route) => route.Backend == Backend.Fleet ? _fleetByRoute[route.Name] : _bedrock;
}
