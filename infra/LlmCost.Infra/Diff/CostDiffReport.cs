namespace LlmCost.Infra.Diff;

/// <summary>One cost line's monthly P50 and P90, before and after (USD/month).</summary>
internal sealed record LineDelta(string Line, decimal P50Before, decimal P50After, decimal P90Before, decimal P90After)
{
    public decimal P50Change => P50After - P50Before;

    public decimal P90Change => P90After - P90Before;
}

/// <summary>A setting the plan rests on (Savings Plan, fleet bounds, a route's model, cap or price), before and after; "none" where absent.</summary>
internal sealed record SettingRow(string Setting, string Before, string After)
{
    public bool Changed => !string.Equals(Before, After, StringComparison.Ordinal);
}

internal sealed record PropertyChange(string Property, string Before, string After);

/// <summary>A resource added, removed or changed: its Pulumi type, logical name and (when changed) the properties that differ, secrets masked.</summary>
internal sealed record ResourceChange(string Kind, string Type, string Name, IReadOnlyList<PropertyChange> Properties);

/// <summary>What <c>cost diff</c> reports for one stack.</summary>
/// <param name="Resources">Null when the base's program is not known (a saved plan).</param>
/// <param name="HourlyBefore">Null when the base's week is not known (a saved plan older than the field).</param>
internal sealed record CostDiffReport(
    string Stack,
    DiffSide Base,
    DiffSide Head,
    decimal MonthlyBefore,
    decimal MonthlyAfter,
    decimal CommitmentBefore,
    decimal CommitmentAfter,
    IReadOnlyList<LineDelta> Lines,
    IReadOnlyList<SettingRow> Settings,
    IReadOnlyList<ResourceChange>? Resources,
    IReadOnlyList<decimal>? HourlyBefore,
    IReadOnlyList<decimal> HourlyAfter)
{
    public bool NewStack => !Base.Exists;

    public decimal MonthlyChange => MonthlyAfter - MonthlyBefore;

    public decimal CommitmentChange => CommitmentAfter - CommitmentBefore;

    public bool CostsChanged => NewStack || Lines.Any(l => l.P50Change != 0 || l.P90Change != 0) || CommitmentChange != 0;

    public bool SettingsChanged => Settings.Any(s => s.Changed);

    public bool ResourcesChanged => NewStack || Resources is { Count: > 0 };

    /// <summary>Anything a reviewer should see; false means the workflow stays quiet.</summary>
    public bool Changed => CostsChanged || SettingsChanged || ResourcesChanged;
}
