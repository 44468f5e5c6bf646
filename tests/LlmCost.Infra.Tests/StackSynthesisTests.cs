using System.Text.Json;
using System.Text.Json.Nodes;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Synthesis;

namespace LlmCost.Infra.Tests;

public sealed class StackSynthesisTests
{
    public static TheoryData<string> Stacks => new(Repo.Stacks);

    [Theory]
    [MemberData(nameof(Stacks))]
    public void PrintedProgram_EveryReferenceNamesADeclaredName(string stack)
    {
        // Read back from the printed text, independently of the builder's own check.
        var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);
        var declared = query.Resources.Select(r => r.Key).Concat(query.Root["variables"]!.AsObject().Select(v => v.Key))
            .Concat(query.Root["config"]?.AsObject().Select(c => c.Key) ?? []).ToHashSet();
        var references = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o: foreach (var p in o) { Walk(p.Value); } break;
                case JsonArray a: foreach (var i in a) { Walk(i); } break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    references.AddRange(Expr.ParseTemplate(v.GetValue<string>()).References().Select(r => r.Name));
                    break;
            }
        }

        Walk(query.Root);

        references.Should().NotBeEmpty();
        references.Where(r => r != "pulumi").Should().OnlyContain(r => declared.Contains(r));
    }

    [Fact]
    public void RouteWithUnpricedModel_StopsWithTheModelKey()
    {
        var routes = """[{"name":"small","model":"acme.unknown-model-v1:0","maxInputTokens":10,"maxOutputTokens":10}]""";
        var settings = StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:routes", routes), ("llm-cost:autoRouting", null), ("llm-cost:demand", null)));

        var act = () => Repo.Synthesize(settings);

        act.Should().Throw<ConfigError>().WithMessage("stacks/Pulumi.dev.yaml: llm-cost:routes[0].model: no price known for Bedrock model \"acme.unknown-model-v1:0\" in us-east-1*");
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Outputs_CarryEndpointTokenUrlAndPriceSource(string stack)
    {
        var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);

        query.Output("apiEndpoint")!.GetValue<string>().Should().Be("${gateway-stage.invokeUrl}/v1");
        query.Output("tokenUrl")!.GetValue<string>().Should().Be($"https://example-llm-cost-{stack}.auth.us-east-1.amazoncognito.com/oauth2/token");
        query.Output("pricingSource")!.GetValue<string>().Should().Be("snapshot");
        query.Output("routerPriceTable")!.AsObject().Select(r => r.Key).Should().Equal(StackFileLiterals.Routes(stack));
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Program_HoldsNoClientSecrets(string stack)
    {
        var program = ProgramQuery.Of(Repo.Synthesize(stack).Program).Root;
        // The only secrets are config keys the program declares as secret (prod's Hugging Face token): names, never values.
        program["config"]?.AsObject().Should().OnlyContain(c => c.Value!["secret"]!.GetValue<bool>());
        program.Remove("config");
        var text = program.ToJsonString();

        text.Should().NotContain("clientSecret\":").And.NotContain("secret\":");
        ProgramQuery.Of(Repo.Synthesize(stack).Program).OfType("aws:cognito/userPoolClient:UserPoolClient")
            .Should().OnlyContain(c => c.Resource["options"]!["additionalSecretOutputs"]!.ToJsonString() == """["clientSecret"]""");
    }
}
