using System.Text.Json.Serialization;

namespace LlmCost.CostModel.Vocabulary;

/// <summary>Where the fleet runs: SageMaker real-time endpoints on <c>ml.inf2.*</c>, or ECS on EC2 <c>inf2.*</c>.</summary>
[JsonConverter(typeof(FleetPlatformJsonConverter))]
public enum FleetPlatform
{
    SageMaker,
    Ecs,
}

public static class FleetPlatforms
{
    public static readonly Vocabulary<FleetPlatform> Vocabulary = new((FleetPlatform.SageMaker, "sagemaker"), (FleetPlatform.Ecs, "ecs"));

    public static string Name(this FleetPlatform value) => Vocabulary.Name(value);

    /// <summary>How the router reaches a fleet on this platform.</summary>
    public static FleetTransportKind Transport(this FleetPlatform value) => value switch
    {
        FleetPlatform.SageMaker => FleetTransportKind.SageMakerEndpoint,
        FleetPlatform.Ecs => FleetTransportKind.OpenAiHttp,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };
}

public sealed class FleetPlatformJsonConverter() : VocabularyJsonConverter<FleetPlatform>(FleetPlatforms.Vocabulary);
