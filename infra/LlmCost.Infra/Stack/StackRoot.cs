namespace LlmCost.Infra.Stack;

/// <summary>The top of the component tree: the stack itself. Its children's paths are their ids.</summary>
internal sealed class StackRoot(StackContext context) : Component(context, "")
{
    /// <summary>Every component in the tree, depth first.</summary>
    public IEnumerable<Component> Descendants() => Walk(this).Skip(1);

    private static IEnumerable<Component> Walk(Component component) => new[] { component }.Concat(component.Children.SelectMany(Walk));
}
