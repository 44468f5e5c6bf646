using System.Text.Json.Serialization;

namespace LlmCost.CostModel.Vocabulary;

/// <summary>
/// How the router calls a fleet route: SageMaker Runtime's <c>InvokeEndpoint</c> (SigV4-signed, the endpoint by name),
/// or the serving container's own OpenAI-compatible HTTP API behind the ECS service's internal load balancer.
/// </summary>
[JsonConverter(typeof(FleetTransportKindJsonConverter))]
public enum FleetTransportKind
{
    SageMakerEndpoint,
    OpenAiHttp,
}

public static class FleetTransportKinds
{
    public static readonly Vocabulary<FleetTransportKind> Vocabulary = new((FleetTransportKind.SageMakerEndpoint, "sagemaker-endpoint"), (FleetTransportKind.OpenAiHttp, "openai-http"));

    public static string Name(this FleetTransportKind value) => Vocabulary.Name(value);
}

public sealed class FleetTransportKindJsonConverter() : VocabularyJsonConverter<FleetTransportKind>(FleetTransportKinds.Vocabulary);
