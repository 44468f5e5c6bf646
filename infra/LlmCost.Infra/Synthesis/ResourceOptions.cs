namespace LlmCost.Infra.Synthesis;

/// <summary>
/// Pulumi resource options, as Pulumi YAML spells them under <c>options:</c>. Every member's default is
/// Pulumi's own behaviour: no extra dependencies, not protected, changes to every input applied.
/// </summary>
internal sealed record ResourceOptions
{
    public static ResourceOptions None { get; } = new();

    /// <summary>Resources that must exist first, beyond those referenced in properties.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Refuse to delete the resource (default: deletable).</summary>
    public bool Protect { get; init; }

    /// <summary>Input properties whose drift is not corrected (default: none).</summary>
    public IReadOnlyList<string> IgnoreChanges { get; init; } = [];

    /// <summary>Keep the cloud resource when it leaves the program (default: deleted with it).</summary>
    public bool RetainOnDelete { get; init; }

    /// <summary>Delete before creating a replacement, for resources with unique physical names.</summary>
    public bool DeleteBeforeReplace { get; init; }

    /// <summary>Input properties whose change forces a replacement (default: the provider decides).</summary>
    public IReadOnlyList<string> ReplaceOnChanges { get; init; } = [];

    /// <summary>Outputs to store as secrets in the state (default: only those the provider marks).</summary>
    public IReadOnlyList<string> AdditionalSecretOutputs { get; init; } = [];

    /// <summary>Plugin version of the resource's package; set on the pinned default provider.</summary>
    public string? Version { get; init; }

    /// <summary>The resource's Pulumi parent (a declared resource's logical name; default: the stack). Changing it changes the URN: give an alias.</summary>
    public string? Parent { get; init; }

    /// <summary>How long create, update and delete may take (Pulumi durations such as <c>45m</c>; default: the provider's).</summary>
    public CustomTimeouts? CustomTimeouts { get; init; }

    /// <summary>Names this resource had before (a rename or re-parent then updates in place instead of replacing).</summary>
    public IReadOnlyList<ResourceAlias> Aliases { get; init; } = [];

    public bool IsEmpty =>
        DependsOn.Count == 0 && !Protect && IgnoreChanges.Count == 0 && !RetainOnDelete && !DeleteBeforeReplace
        && ReplaceOnChanges.Count == 0 && AdditionalSecretOutputs.Count == 0 && Version is null
        && Parent is null && CustomTimeouts is null && Aliases.Count == 0;
}

/// <summary>Pulumi's <c>customTimeouts</c>: durations as Pulumi spells them (<c>30m</c>, <c>1h</c>); null keeps the provider's.</summary>
internal sealed record CustomTimeouts(string? Create = null, string? Update = null, string? Delete = null);

/// <summary>A former identity of a resource: its old logical name, and whether it had no parent then.</summary>
internal sealed record ResourceAlias(string? Name = null, bool NoParent = false);
