using System.Globalization;
using System.Text;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Cli;

/// <summary>
/// The plan for a person: resources grouped by component with the settings that matter, the routes with their
/// prices and where those prices came from, and what stands between this plan and <c>pulumi up</c>.
/// </summary>
internal static class PlanRenderer
{
    /// <summary>Properties worth a glance, in the order shown; anything else is in <c>synth</c>.</summary>
    private static readonly string[] KeyProperties =
    [
        "name", "domain", "runtime", "architectures", "memorySize", "timeout", "reservedConcurrentExecutions",
        "retentionInDays", "httpMethod", "authorization", "authorizationScopes", "pathPart", "stageName", "type",
        "responseType", "statusCode", "allowedOauthFlows", "accessTokenValidity", "settings", "modelSource", "region", "principal",
        "minCapacity", "maxCapacity", "policyType", "schedule", "scalableTargetAction", "threshold",
    ];

    public static string Render(SynthesizedStack stack)
    {
        var settings = stack.Settings;
        var config = stack.RouterConfiguration;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"llm-cost plan: stack {settings.Stack} in {settings.Region} (settings from {settings.Source})");
        text.AppendLine(CultureInfo.InvariantCulture, $"prices: {config.Prices.Source.Name()} of {config.Prices.AsOf}; demand: {stack.Costs.Demand.Source}");
        text.AppendLine(DemandSummary.Line(stack.Costs.Demand));
        text.AppendLine(CultureInfo.InvariantCulture, $"advice rests on: {stack.Costs.Evidence.Basis}{(stack.Costs.Evidence.Missing is { } missing ? $"; {missing}" : "")}");
        foreach (var warning in stack.Costs.Warnings)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"WARNING: {warning}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"resources: {stack.Program.Resources.Count}");
        foreach (var note in stack.Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"NOTE: {note}");
        }

        text.AppendLine();

        foreach (var group in stack.Program.Resources.GroupBy(r => r.Component))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{group.Key} ({group.Count()})");
            foreach (var resource in group)
            {
                var type = resource.Type.Split(':')[^1];
                text.AppendLine(CultureInfo.InvariantCulture, $"  {resource.Name,-34} {type,-28} {Summary(resource)}");
            }

            text.AppendLine();
        }

        var nameWidth = Math.Max(6, config.Routes.Max(r => r.Name.Length));
        var idWidth = Math.Max(10, config.Routes.Max(r => r.InvokeId.Length));
        text.AppendLine("routes (USD per 1M tokens)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"route".PadRight(nameWidth)} {"backend",-8} {"invoke id".PadRight(idWidth)} {"input",9} {"output",9} {"max in",8} {"max out",8}  fallback");
        foreach (var route in config.Routes)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {route.Name.PadRight(nameWidth)} {route.Backend.Name(),-8} {route.InvokeId.PadRight(idWidth)} {route.Prices.InputPer1M,9:0.######} {route.Prices.OutputPer1M,9:0.######} {route.MaxInputTokens,8} {route.MaxOutputTokens,8}  {route.Fallback ?? "-"}");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"price sources (pricing: {stack.Costs.Prices.Source.Name()}{(stack.Costs.Prices.Fallback is { } fallback ? $"; FALLBACK: {fallback}" : "")})");
        foreach (var route in stack.Costs.Routes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {route.Route.PadRight(nameWidth)} {route.Origin}");
        }

        CostPlanRenderer.Append(text, stack);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"auto routing: {string.Join(", ", config.Auto.Tiers.Select(t => $"score <= {t.MaxScore} -> {t.Route}"))}; explicit models {(config.Auto.AllowExplicitModels ? "allowed" : "refused")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"apps: {string.Join(", ", settings.Apps.Select(a => a.InferenceProfiles ? a.Name + " (own inference profiles)" : a.Name))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"fleet: {(settings.Fleet is { } f ? $"{f.Platform.Name()} {f.InstanceType} serving {f.ModelName} " + (f.Network is { } n ? $"on service {f.EndpointName} in {n.VpcId}" : $"on endpoint {f.EndpointName}") : "none")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"router bundle: {(stack.BundleBuilt ? "built" : $"not built; `pulumi up` will stop until you run {BundleLocator.BuildCommand} {settings.Router.Architecture.Name()}")}");
        return text.ToString();
    }

    private static string Summary(ResourceDeclaration resource)
    {
        var parts = new List<string>();
        foreach (var key in KeyProperties)
        {
            if (resource.Properties[key] is { } value && Show(value) is { } shown)
            {
                parts.Add($"{key}={shown}");
            }
        }

        // An endpoint's worth is its instances: show each variant's type, count and start-up allowance.
        if (resource.Properties["productionVariants"] is ListValue variants)
        {
            foreach (var variant in variants.Items.OfType<MapValue>())
            {
                parts.AddRange(new[] { "instanceType", "initialInstanceCount", "volumeSizeInGb", "containerStartupHealthCheckTimeoutInSeconds" }
                    .Where(k => variant[k] is not null).Select(k => $"{k}={Show(variant[k]!)}"));
            }
        }

        if (resource.Options.Version is { } version)
        {
            parts.Add($"version={version}");
        }

        var line = string.Join(" ", parts);
        line = line.Length > 110 ? line[..107] + "..." : line;

        // A policy's worth is what it allows: every action, by service (never cut), not the document.
        if (resource.Properties["policy"] is FunctionValue { Argument: MapValue document } && document["Statement"] is ListValue statements)
        {
            var actions = statements.Items.OfType<MapValue>().SelectMany(st => st["Action"] is ListValue a ? a.Items.OfType<StringValue>() : [])
                .Select(a => a.Text).Distinct(StringComparer.Ordinal)
                .GroupBy(a => a.Split(':')[0], StringComparer.Ordinal)
                .Select(g => $"{g.Key}:{string.Join("+", g.Select(a => a[(g.Key.Length + 1)..]))}");
            line = $"{line}{(line.Length > 0 ? " " : "")}allows={string.Join(",", actions)}";
        }

        return line;
    }

    private static string? Show(Value value) => value switch
    {
        StringValue s => s.Text,
        NumberValue n => n.Number.ToString(CultureInfo.InvariantCulture),
        BoolValue b => b.Flag ? "true" : "false",
        ReferenceValue r => "${" + r.Expression + "}",
        ListValue l when l.Items.All(i => i is StringValue) => string.Join(",", l.Items.Cast<StringValue>().Select(i => i.Text)),
        MapValue m => "{" + string.Join(",", m.Entries.Select(e => $"{e.Key}:{Show(e.Value) ?? "..."}")) + "}",
        _ => null,
    };
}
