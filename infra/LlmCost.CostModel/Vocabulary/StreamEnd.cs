using System.Text.Json.Serialization;

namespace LlmCost.CostModel.Vocabulary;

/// <summary>
/// How a streamed answer ended, as its usage record says (<c>streamEnd</c>): it completed, the client went away, or
/// the router cut it at the output cap. A stream that a backend failure cut after it began records that failure's
/// reason there instead (one of the router's bounded failure reasons), not a value of this vocabulary.
/// </summary>
[JsonConverter(typeof(StreamEndJsonConverter))]
public enum StreamEnd
{
    Completed,
    ClientGone,
    OutputCap,
}

public static class StreamEnds
{
    public static readonly Vocabulary<StreamEnd> Vocabulary = new(
        (StreamEnd.Completed, "completed"),
        (StreamEnd.ClientGone, "client_gone"),
        (StreamEnd.OutputCap, "output_cap"));

    public static string Name(this StreamEnd value) => Vocabulary.Name(value);
}

public sealed class StreamEndJsonConverter() : VocabularyJsonConverter<StreamEnd>(StreamEnds.Vocabulary);
