using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Tests.Contracts;

/// <summary>Each closed value's one spelling, and how the document carries values known only at deploy time.</summary>
public sealed class VocabularyTests
{
    [Fact]
    public void Names_AreTheSpellingsConfigDocumentsAndRecordsUse()
    {
        Backends.Vocabulary.Names.Should().Equal("bedrock", "fleet");
        FleetPlatforms.Vocabulary.Names.Should().Equal("sagemaker", "ecs");
        FleetTransportKinds.Vocabulary.Names.Should().Equal("sagemaker-endpoint", "openai-http");
        LambdaArchitectures.Vocabulary.Names.Should().Equal("arm64", "x86_64");
        PricingSources.Vocabulary.Names.Should().Equal("live", "snapshot", "live-required");
        PriceOriginKinds.Vocabulary.Names.Should().Equal("live", "cache", "snapshot");
        RequestOutcomes.Vocabulary.Names.Should().Equal("ok", "client_error", "throttled", "backend_error", "timeout", "router_error", "budget_exceeded", "client_gone");
        StreamEnds.Vocabulary.Names.Should().Equal("completed", "client_gone", "output_cap");
    }

    [Fact]
    public void EveryEnumValue_HasExactlyOneName()
    {
        Check(Backends.Vocabulary);
        Check(FleetPlatforms.Vocabulary);
        Check(FleetTransportKinds.Vocabulary);
        Check(LambdaArchitectures.Vocabulary);
        Check(PricingSources.Vocabulary);
        Check(PriceOriginKinds.Vocabulary);
        Check(RequestOutcomes.Vocabulary);
        Check(StreamEnds.Vocabulary);

        static void Check<T>(Vocabulary<T> vocabulary)
            where T : struct, Enum
        {
            vocabulary.Values.Should().BeEquivalentTo(Enum.GetValues<T>(), typeof(T).Name);
            vocabulary.Names.Should().OnlyHaveUniqueItems(typeof(T).Name);
        }
    }

    [Theory]
    [InlineData("Bedrock")]
    [InlineData(" bedrock")]
    [InlineData("")]
    public void TryParse_IsExact(string text) => Backends.Vocabulary.TryParse(text, out _).Should().BeFalse();

    [Fact]
    public void Json_UnknownName_ListsTheChoices()
    {
        var act = () => JsonSerializer.Deserialize<TransportHolder>("""{"Kind":"grpc"}""");

        act.Should().Throw<JsonException>().WithMessage("expected sagemaker-endpoint or openai-http, got \"grpc\"");
    }

    [Fact]
    public void DeployValue_TextIsAPlainString_ReferenceAnObjectThatRoundTrips()
    {
        var text = JsonSerializer.Serialize(DeployValue.Of("client-1"), CostModelJsonContext.Default.DeployValue);
        var reference = JsonSerializer.Serialize(DeployValue.Of(new DeployReference("fleet-alb", "dnsName", "http://")), CostModelJsonContext.Default.DeployValue);

        text.Should().Be("\"client-1\"");
        reference.Should().Be("""{"deployReference":{"resource":"fleet-alb","property":"dnsName","prefix":"http://"}}""");
        JsonSerializer.Deserialize(reference, CostModelJsonContext.Default.DeployValue)!.Reference.Should().Be(new DeployReference("fleet-alb", "dnsName", "http://"));
        JsonSerializer.Deserialize(reference, CostModelJsonContext.Default.DeployValue)!.ToString().Should().Be("http://${fleet-alb.dnsName}");
    }

    [Theory]
    [InlineData("""{"deployReference":{"resource":"x"}}""", "deployReference: needs resource and property")]
    [InlineData("""{"other":{}}""", "expected a string or {\"deployReference\": {...}}")]
    [InlineData("""{"deployReference":{"resource":"x","property":"id","extra":"y"}}""", "deployReference.extra: unknown field")]
    [InlineData("12", "expected a string, got Number")]
    public void DeployValue_Malformed_SaysWhat(string json, string message)
    {
        var act = () => JsonSerializer.Deserialize(json, CostModelJsonContext.Default.DeployValue);

        act.Should().Throw<JsonException>().WithMessage(message);
    }

    private sealed record TransportHolder(FleetTransportKind Kind);
}
