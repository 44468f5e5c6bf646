using System.Text.Json.Nodes;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Tests;

public sealed class SynthesisCoreTests
{
    private static ResourceDeclaration Resource(string name, MapValue properties, ResourceOptions? options = null) =>
        new(name, "aws:s3/bucket:Bucket", properties, options ?? ResourceOptions.None, "test");

    [Fact]
    public void Build_ReferenceToUndeclaredName_ThrowsNamingResourcePropertyAndReference()
    {
        var builder = new ProgramBuilder();
        builder.AddResource(Resource("bucket", Map(("policy", Interpolate("arn:", Ref("missing", "arn"), "/*")))));

        var act = () => builder.Build();

        act.Should().Throw<SynthesisException>()
            .WithMessage("Unresolved references in the program:\n  resource 'bucket' property 'policy': ${missing.arn} names nothing declared.");
    }

    [Fact]
    public void Build_DependsOnUndeclaredResource_Throws()
    {
        var builder = new ProgramBuilder();
        builder.AddResource(Resource("bucket", Map(), new ResourceOptions { DependsOn = ["ghost"] }));

        var act = () => builder.Build();

        act.Should().Throw<SynthesisException>().WithMessage("*resource 'bucket' dependsOn 'ghost', which is not a declared resource.*");
    }

    [Fact]
    public void Build_UnknownPulumiBuiltin_Throws()
    {
        var builder = new ProgramBuilder();
        builder.AddOutput("where", Ref("pulumi", "region"));

        var act = () => builder.Build();

        act.Should().Throw<SynthesisException>().WithMessage("*${pulumi.region} is not a Pulumi built-in*");
    }

    [Fact]
    public void AddResource_DuplicateName_ThrowsNamingBothComponents()
    {
        var builder = new ProgramBuilder();
        builder.AddResource(Resource("bucket", Map()));

        var act = () => builder.AddResource(new ResourceDeclaration("bucket", "aws:s3/bucket:Bucket", Map(), ResourceOptions.None, "analytics"));

        act.Should().Throw<SynthesisException>().WithMessage("analytics: the name 'bucket' is already declared by test.");
    }

    [Fact]
    public void Write_LiteralDollarBrace_IsEscapedSoPulumiDoesNotReadAReference()
    {
        var builder = new ProgramBuilder();
        builder.AddResource(Resource("bucket", Map(("template", "literal ${notARef}"), ("ref", Interpolate("a-", Ref("bucket", "id"), "-${x}")))));

        var printed = JsonNode.Parse(ProgramWriter.Write(builder.Build()))!;

        printed["resources"]!["bucket"]!["properties"]!["template"]!.GetValue<string>().Should().Be("literal $${notARef}");
        printed["resources"]!["bucket"]!["properties"]!["ref"]!.GetValue<string>().Should().Be("a-${bucket.id}-$${x}");
    }

    [Fact]
    public void ParseTemplate_ReadsBackWhatWriteValuePrints()
    {
        var value = Interpolate("arn:aws:logs:", Ref("acct"), ":log-group:", Ref("logs", "name"), ":*");

        var printed = ProgramWriter.WriteValue(value).Trim('"');

        ParseTemplate(printed).Should().BeEquivalentTo(value, o => o.RespectingRuntimeTypes());
        ParseTemplate("${only.one}").Should().Be(new ReferenceValue("only", "one"));
        ParseTemplate("$${escaped}").Should().Be(new StringValue("${escaped}"));
    }

    [Fact]
    public void Write_ResourceOptions_UsePulumiYamlSpelling()
    {
        var builder = new ProgramBuilder();
        builder.AddResource(Resource("a", Map()));
        builder.AddResource(Resource("b", Map(), new ResourceOptions
        {
            DependsOn = ["a"], Protect = true, IgnoreChanges = ["tags"], RetainOnDelete = true, AdditionalSecretOutputs = ["secret"],
        }));

        var options = JsonNode.Parse(ProgramWriter.Write(builder.Build()))!["resources"]!["b"]!["options"]!;

        options.ToJsonString().Should().Be("""{"dependsOn":["${a}"],"protect":true,"ignoreChanges":["tags"],"retainOnDelete":true,"additionalSecretOutputs":["secret"]}""");
    }

    [Fact]
    public void Write_Functions_PrintAsPulumiYamlBuiltins()
    {
        var builder = new ProgramBuilder();
        builder.AddVariable("acct", Invoke("aws:index/getCallerIdentity:getCallerIdentity", Map(), "accountId"), "test");
        builder.AddResource(Resource("bucket", Map(
            ("policy", ToJson(Map(("Account", Ref("acct"))))),
            ("code", FileArchive("lambda/dist")),
            ("secret", Secret("s")))));

        var printed = JsonNode.Parse(ProgramWriter.Write(builder.Build()))!;

        printed["variables"]!["acct"]!.ToJsonString().Should().Be("""{"fn::invoke":{"function":"aws:index/getCallerIdentity:getCallerIdentity","arguments":{},"return":"accountId"}}""");
        printed["resources"]!["bucket"]!["properties"]!.ToJsonString().Should().Be("""{"policy":{"fn::toJSON":{"Account":"${acct}"}},"code":{"fn::fileArchive":"lambda/dist"},"secret":{"fn::secret":"s"}}""");
    }
}
