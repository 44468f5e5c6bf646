using System.Text.Json.Serialization;

namespace LlmCost.CostModel.Vocabulary;

/// <summary>What serves a route: Amazon Bedrock, or the stack's self-hosted Inferentia2 fleet.</summary>
[JsonConverter(typeof(BackendJsonConverter))]
public enum Backend
{
    Bedrock,
    Fleet,
}

public static class Backends
{
    public static readonly Vocabulary<Backend> Vocabulary = new((Backend.Bedrock, "bedrock"), (Backend.Fleet, "fleet"));

    public static string Name(this Backend value) => Vocabulary.Name(value);
}

public sealed class BackendJsonConverter() : VocabularyJsonConverter<Backend>(Backends.Vocabulary);
