using LlmCost.Infra.Synthesis;

namespace LlmCost.Infra.Stack;

/// <summary>
/// A building block, in the manner of a CDK construct: built from (parent, id, args), it adds its resources and
/// child components to the program and exposes what others need as a typed outputs record. Logical names derive
/// from the path (<c>gateway-api</c>, <c>router-role</c>; a child <c>logs</c> of <c>fleet</c> names its resources
/// <c>fleet-logs-...</c>); a name, once released, is never renamed, because Pulumi would replace the resource (give
/// the resource an alias in <see cref="ResourceOptions.Aliases"/> when it must move). Physical names come from
/// <see cref="Naming.AwsNames"/>.
/// </summary>
internal abstract class Component
{
    private readonly List<Component> _children = [];

    /// <summary>A component under <paramref name="parent"/>: <see cref="StackRoot"/> for the stack's top level.</summary>
    protected Component(Component parent, string id)
        : this(parent.Context, parent.Path.Length == 0 ? id : $"{parent.Path}-{id}")
    {
        parent._children.Add(this);
    }

    private protected Component(StackContext context, string path)
    {
        Context = context;
        Path = path;
    }

    protected StackContext Context { get; }

    public string Path { get; }

    public IReadOnlyList<Component> Children => _children;

    protected string Name(string id) => $"{Path}-{id}";

    protected ReferenceValue Add(string id, string type, MapValue properties, ResourceOptions? options = null) =>
        Context.Program.AddResource(new ResourceDeclaration(Name(id), type, properties, options ?? ResourceOptions.None, Path));

    public static MapValue Policy(params Value[] statements) =>
        Expr.Map(("Version", "2012-10-17"), ("Statement", Expr.List(statements)));

    public static MapValue Allow(string sid, IEnumerable<string> actions, IEnumerable<Value> resources, MapValue? condition = null) =>
        Expr.Map(("Sid", sid), ("Effect", "Allow"), ("Action", Expr.Strings(actions)), ("Resource", Expr.List(resources)), ("Condition", condition));

    public static MapValue AssumedBy(string servicePrincipal, MapValue? condition = null) =>
        Policy(Expr.Map(
            ("Effect", "Allow"),
            ("Principal", Expr.Map(("Service", servicePrincipal))),
            ("Action", "sts:AssumeRole"),
            ("Condition", condition)));

    protected ReferenceValue LogGroup(string id, string name, int retentionDays) =>
        Add(id, "aws:cloudwatch/logGroup:LogGroup", Expr.Map(("name", name), ("retentionInDays", retentionDays)));
}
