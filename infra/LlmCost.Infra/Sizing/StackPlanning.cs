using LlmCost.Infra.Pricing;
using LlmCost.Infra.Pricing.Live;
using LlmCost.Infra.Settings;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Sizing;

/// <summary>
/// How this run prices and sizes: the pricing source (null: the stack's own), a request history to size from (a
/// relative path is from the current directory, as a user typing it means) and its CSV delimiter (null: detected),
/// and whether to skip the cache.
/// </summary>
internal sealed record PlanningOptions(PricingSource? PricingSource = null, string? UsageFile = null, bool RefreshCache = false, char? UsageDelimiter = null)
{
    /// <summary>Offline: the embedded snapshot, whatever the stack says. What the CLI does unless asked for live prices.</summary>
    public static PlanningOptions Offline { get; } = new(CostModel.Vocabulary.PricingSource.Snapshot);

    public const string SourceVariable = "LLM_COST_PRICING_SOURCE";
}

/// <summary>
/// Plan time in one call: the demand (config, or a request history), the prices (per the chosen source), and the
/// cost plan built from both. The live APIs are only constructed when asked for.
/// </summary>
internal static class StackPlanning
{
    public static async Task<CostPlan> PlanAsync(
        StackSettings settings, string projectDirectory, PlanningOptions options, Func<string, string?> environment, TimeProvider time, HttpMessageHandler? handler = null)
    {
        CheckAccountStack(settings, projectDirectory);
        var demand = Demand(settings, projectDirectory, options.UsageFile, options.UsageDelimiter);
        var query = new PriceQuery(
            settings.Region,
            settings.Routes.Where(r => r.IsBedrock).Select(r => r.Model).Distinct(StringComparer.Ordinal).ToList(),
            settings.Fleet?.Platform,
            settings.Fleet?.InstanceType);

        var fromEnvironment = environment(PlanningOptions.SourceVariable);
        PricingSource source;
        if (options.PricingSource is { } chosen)
        {
            source = chosen;
        }
        else if (string.IsNullOrEmpty(fromEnvironment))
        {
            source = settings.Pricing.Source;
        }
        else if (!PricingSources.Vocabulary.TryParse(fromEnvironment, out source))
        {
            throw new ConfigError(settings.Source, PlanningOptions.SourceVariable, $"expected {PricingSources.Vocabulary.Choices}, got \"{fromEnvironment}\"");
        }

        var cache = new PriceCache(PriceCache.DefaultDirectory(environment), time);
        var resolver = new PriceResolver(PriceSnapshot.Embedded, cache, () => Live(environment, time, handler));
        var book = await resolver.ResolveAsync(query, source, options.RefreshCache ? 0 : settings.Pricing.CacheHours, TimeSpan.FromSeconds(settings.Pricing.DeadlineSeconds));

        // Before the arithmetic: a route that cannot be invoked as configured stops here, not as a missing price.
        var (catalog, catalogNote) = await ModelCatalogAsync(settings, source, environment, time, handler);
        var modelWarnings = Catalog.ModelAvailabilityCheck.Check(settings, catalog, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (catalogNote is not null)
        {
            modelWarnings = [catalogNote, .. modelWarnings];
        }

        var concurrencyNote = await ConcurrencyAsync(settings, source, environment, time, handler);
        if (concurrencyNote is not null)
        {
            modelWarnings = [.. modelWarnings, concurrencyNote];
        }

        return CostPlanner.Plan(settings, book, demand) with { ModelWarnings = modelWarnings, ConcurrencyChecked = concurrencyNote is not null };
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
            throw new ConfigError(settings.Source, DemandSettings.KeyOf("historyFile"), e.Message);
        }
    }

    /// <summary>
    /// The account stack an environment names must be one: a stack reference to another environment resolves at
    /// preview, but nothing would have set the region's API Gateway log role, and the stage would fail at up.
    /// </summary>
    private static void CheckAccountStack(StackSettings settings, string projectDirectory)
    {
        if (File.Exists(StackFileReader.PathFor(projectDirectory, settings.AccountStack))
            && StackKinds.Of(StackFileReader.Read(projectDirectory, settings.AccountStack)) != StackKind.Account)
        {
            throw new ConfigError(settings.Source, Account.AccountReference.ConfigKey,
                $"names {settings.AccountStack}, which stacks/Pulumi.{settings.AccountStack}.yaml declares as an environment, not an account stack (llm-cost:kind: account)");
        }
    }

    /// <summary>
    /// What Bedrock offers in the stack's region: asked live when prices are (the same credentials and deadline),
    /// else the embedded catalog. A failed live answer falls back to the snapshot and says so, unless live is required.
    /// </summary>
    private static async Task<(Catalog.BedrockModelCatalog Catalog, string? Note)> ModelCatalogAsync(
        StackSettings settings, PricingSource source, Func<string, string?> environment, TimeProvider time, HttpMessageHandler? handler)
    {
        if (source == PricingSource.Snapshot)
        {
            return (Catalog.BedrockModelCatalog.Embedded, null);
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(settings.Pricing.DeadlineSeconds));
        try
        {
            return (await new Catalog.Live.BedrockCatalogApi(Client(time, handler), environment, time).FetchAsync(settings.Region, deadline.Token), null);
        }
        catch (Exception e) when (e is PricingException or OperationCanceledException or HttpRequestException or ArgumentException)
        {
            var why = e is OperationCanceledException ? $"no answer within {settings.Pricing.DeadlineSeconds} s" : e.Message;
            if (source == PricingSource.LiveRequired)
            {
                throw new PricingException($"pricing.source is live-required and the live Bedrock model catalog failed: {why}", e);
            }

            return (Catalog.BedrockModelCatalog.Embedded,
                $"models were checked against the embedded Bedrock catalog of {Catalog.BedrockModelCatalog.Embedded.AsOf}: the live catalog could not be read ({why})");
        }
    }

    /// <summary>The router's reservation against the account's concurrency, when prices are live; null when not checked (offline, or the account could not be read).</summary>
    private static async Task<string?> ConcurrencyAsync(StackSettings settings, PricingSource source, Func<string, string?> environment, TimeProvider time, HttpMessageHandler? handler)
    {
        if (source == PricingSource.Snapshot || settings.Router.ReservedConcurrency is not { } reserved)
        {
            return null;
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(settings.Pricing.DeadlineSeconds));
        try
        {
            return await new Account.Live.LambdaConcurrencyCheck(Client(time, handler), environment).CheckAsync(settings, reserved, deadline.Token);
        }
        catch (Exception e) when (e is PricingException or OperationCanceledException or HttpRequestException or ArgumentException)
        {
            // Not being able to ask is not a reason to stop a plan: the router states the requirement instead.
            return null;
        }
    }

    /// <summary>The one signed client every plan-time AWS call goes through (prices, model catalog, Lambda limits).</summary>
    private static AwsJsonClient Client(TimeProvider time, HttpMessageHandler? handler)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = Timeout.InfiniteTimeSpan;
        return new AwsJsonClient(http, AwsCredentialChain.ResolveAsync, time, RetryPolicy.Default);
    }

    private static LivePriceSource Live(Func<string, string?> environment, TimeProvider time, HttpMessageHandler? handler)
    {
        var client = Client(time, handler);
        return new LivePriceSource(new PriceListApi(client, environment), new SavingsPlansApi(client, environment), time);
    }
}
