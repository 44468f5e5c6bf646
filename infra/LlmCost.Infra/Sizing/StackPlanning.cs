using LlmCost.Infra.Pricing;
using LlmCost.Infra.Pricing.Live;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Sizing;

/// <summary>How this run prices and sizes: the pricing source (null: the stack's own), a request history to size from, and whether to skip the cache.</summary>
public sealed record PlanningOptions(string? PricingSource = null, string? UsageFile = null, bool RefreshCache = false)
{
    /// <summary>Offline: the embedded snapshot, whatever the stack says. What the CLI does unless asked for live prices.</summary>
    public static PlanningOptions Offline { get; } = new("snapshot");

    public const string SourceVariable = "LLM_COST_PRICING_SOURCE";
}

/// <summary>
/// Plan time in one call: the demand (config, or a request history), the prices (per the chosen source), and the
/// cost plan built from both. The live APIs are only constructed when asked for.
/// </summary>
public static class StackPlanning
{
    public static async Task<CostPlan> PlanAsync(
        StackSettings settings, string projectDirectory, PlanningOptions options, Func<string, string?> environment, TimeProvider time, HttpMessageHandler? handler = null)
    {
        // Models first: a route that cannot be invoked as configured stops the plan before any price is fetched.
        var modelWarnings = Catalog.ModelAvailabilityCheck.Check(settings, Catalog.BedrockModelCatalog.Embedded, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var demand = Demand(settings, projectDirectory, options.UsageFile);
        var query = new PriceQuery(
            settings.Region,
            settings.Routes.Where(r => r.IsBedrock).Select(r => r.Model).Distinct(StringComparer.Ordinal).ToList(),
            settings.Fleet.Enabled ? settings.Fleet.Platform : null,
            settings.Fleet.InstanceType);

        var fromEnvironment = environment(PlanningOptions.SourceVariable);
        var source = options.PricingSource ?? (string.IsNullOrEmpty(fromEnvironment) ? settings.Pricing.Source : fromEnvironment);
        if (source is not ("live" or "snapshot" or "live-required"))
        {
            throw new ConfigError(settings.Source, PlanningOptions.SourceVariable, $"expected live, snapshot or live-required, got \"{source}\"");
        }

        var cache = new PriceCache(PriceCache.DefaultDirectory(environment), time);
        var resolver = new PriceResolver(PriceSnapshot.Embedded, cache, () => Live(environment, time, handler));
        var book = await resolver.ResolveAsync(query, source, options.RefreshCache ? 0 : settings.Pricing.CacheHours, TimeSpan.FromSeconds(settings.Pricing.DeadlineSeconds));
        return CostPlanner.Plan(settings, book, demand) with { ModelWarnings = modelWarnings };
    }

    public static DemandProfile Demand(StackSettings settings, string projectDirectory, string? usageFile)
    {
        var file = usageFile ?? settings.Demand.HistoryFile;
        if (file is null)
        {
            return DemandProfile.FromSettings(settings.Demand);
        }

        var path = Path.IsPathRooted(file) ? file : Path.Combine(projectDirectory, file);
        try
        {
            return UsageHistory.ToProfile(UsageHistory.Read(path), usageFile ?? file);
        }
        catch (FormatException e) when (usageFile is null)
        {
            throw new ConfigError(settings.Source, $"{StackSettingsReader.Ns}:demand.historyFile", e.Message);
        }
    }

    private static LivePriceSource Live(Func<string, string?> environment, TimeProvider time, HttpMessageHandler? handler)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = Timeout.InfiniteTimeSpan;
        var client = new AwsJsonClient(http, AwsCredentialChain.ResolveAsync, time, RetryPolicy.Default);
        return new LivePriceSource(new PriceListApi(client, environment), new SavingsPlansApi(client, environment), time);
    }
}
