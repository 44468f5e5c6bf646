using LlmCost.Infra.Synthesis;

namespace LlmCost.Infra.Stack;

/// <summary>
/// A building block that adds its resources to the program. Its resources' logical names derive from its
/// path (<c>gateway-api</c>, <c>router-role</c>); a name, once released, is never renamed, because Pulumi would
/// replace the resource.
/// </summary>
public abstract class Component(StackContext context, string path)
{
    protected StackContext Context { get; } = context;

    public string Path { get; } = path;

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
