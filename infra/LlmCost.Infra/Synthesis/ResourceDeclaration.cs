namespace LlmCost.Infra.Synthesis;

/// <summary>
/// One resource of the program. <paramref name="Component"/> is the path of the building block that added
/// it; it groups the plan view and is not printed into the program.
/// </summary>
internal sealed record ResourceDeclaration(
    string Name,
    string Type,
    MapValue Properties,
    ResourceOptions Options,
    string Component,
    bool DefaultProvider = false)
{
    /// <summary>The Pulumi package of the type token, e.g. <c>aws</c> for <c>aws:s3/bucket:Bucket</c>.</summary>
    public string Package => Type.StartsWith("pulumi:providers:", StringComparison.Ordinal)
        ? Type["pulumi:providers:".Length..]
        : Type.Split(':')[0];
}
