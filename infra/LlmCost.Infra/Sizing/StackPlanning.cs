using LlmCost.Infra.Pricing;
using LlmCost.Infra.Pricing.Live;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Sizing;

/// <summary>
/// How this run prices and sizes: the pricing source (null: the stack's own), a request history to size from (a
/// relative path is from the current directory, as a user typing it means) and its CSV delimiter (null: detected),
/// and whether to skip the cache.
/// </summary>
public sealed record PlanningOptions(string? PricingSource = null, string? UsageFile = null, bool RefreshCache = false, char? UsageDelimiter = null)
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
        var demand = Demand(settings, projectDirectory, options.UsageFile, options.UsageDelimiter);
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
        return CostPlanner.Plan(settings, book, demand);
    }

    /// <summary>The stack's <c>historyFile</c> is relative to the project, like the stack file naming it; <c>--usage</c> to the current directory.</summary>
    public static DemandProfile Demand(StackSettings settings, string projectDirectory, string? usageFile, char? delimiter = null)
    {
        var file = usageFile ?? settings.Demand.HistoryFile;
        if (file is null)
        {
            return DemandProfile.FromSettings(settings.Demand);
        }

        var path = usageFile is not null ? Path.GetFullPath(usageFile) : Path.IsPathRooted(file) ? file : Path.Combine(projectDirectory, file);
        try
        {
            return UsageHistory.Load(path, usageFile ?? file, delimiter);
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
