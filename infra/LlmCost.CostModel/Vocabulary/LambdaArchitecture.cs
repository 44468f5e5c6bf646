using System.Text.Json.Serialization;

namespace LlmCost.CostModel.Vocabulary;

/// <summary>The router function's instruction set; the names are Lambda's own.</summary>
[JsonConverter(typeof(LambdaArchitectureJsonConverter))]
public enum LambdaArchitecture
{
    Arm64,
    X86_64,
}

public static class LambdaArchitectures
{
    public static readonly Vocabulary<LambdaArchitecture> Vocabulary = new((LambdaArchitecture.Arm64, "arm64"), (LambdaArchitecture.X86_64, "x86_64"));

    public static string Name(this LambdaArchitecture value) => Vocabulary.Name(value);
}

public sealed class LambdaArchitectureJsonConverter() : VocabularyJsonConverter<LambdaArchitecture>(LambdaArchitectures.Vocabulary);
