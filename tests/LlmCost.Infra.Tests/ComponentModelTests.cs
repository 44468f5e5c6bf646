using System.Text.Json.Nodes;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Tests;

/// <summary>The component tree and the resource options Pulumi YAML reads, on printed programs.</summary>
public sealed class ComponentModelTests
{
    private sealed class Box : Component
    {
        public Box(Component parent, string id, ResourceOptions? options = null) : base(parent, id)
        {
            Resource = Add("thing", "aws:s3/bucket:Bucket", Map(("bucketPrefix", "x")), options);
        }

        public ReferenceValue Resource { get; }
    }

    private static StackContext Context() => new(Repo.Settings("dev"), Repo.Costs(Repo.Settings("dev")), new BundleLocator(Repo.Root));

    [Fact]
    public void ChildComponents_NameTheirResourcesFromTheWholePath()
    {
        var context = Context();
        var root = new StackRoot(context);
        var fleet = new Box(root, "fleet");
        var logs = new Box(fleet, "logs");

        fleet.Path.Should().Be("fleet");
        logs.Path.Should().Be("fleet-logs");
        logs.Resource.Name.Should().Be("fleet-logs-thing");
        root.Descendants().Should().Equal(fleet, logs);
        context.Program.Build().Resource("fleet-logs-thing").Component.Should().Be("fleet-logs");
    }

    [Fact]
    public void ParentCustomTimeoutsAndAliases_PrintAsPulumiYamlSpellsThem()
    {
        var context = Context();
        var root = new StackRoot(context);
        var parent = new Box(root, "a");
        _ = new Box(root, "b", new ResourceOptions
        {
            Parent = parent.Resource.Name,
            CustomTimeouts = new CustomTimeouts(Create: "60m", Delete: "30m"),
            Aliases = [new ResourceAlias(Name: "old-b-thing", NoParent: true)],
        });

        var options = ProgramQuery.Of(context.Program.Build()).Resource("b-thing")!["options"]!;

        options.ToJsonString().Should().Be("""{"parent":"${a-thing}","customTimeouts":{"create":"60m","delete":"30m"},"aliases":[{"name":"old-b-thing","noParent":true}]}""");
    }

    [Fact]
    public void ParentThatIsNotDeclared_IsRefusedBeforePrinting()
    {
        var context = Context();
        _ = new Box(new StackRoot(context), "b", new ResourceOptions { Parent = "nowhere" });

        var act = () => context.Program.Build();

        act.Should().Throw<SynthesisException>().WithMessage("*'b-thing' has parent 'nowhere', which is not a declared resource*");
    }
}
