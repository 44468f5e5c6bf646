using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Components.Analytics;

/// <summary>
/// Every request's usage record kept and queryable: the bucket, the catalog over it, the delivery from the router's
/// log group into it, and the Athena workgroup with the named queries. Top down, as the records flow.
/// </summary>
internal sealed class UsageAnalytics : Component, ICostsMoney
{
    /// <summary>The pipeline at steady state (<see cref="AnalyticsCost"/>); 0 when the stack keeps no analytics.</summary>
    public static IEnumerable<CostLine> MonthlyCost(CostMonth month)
    {
        var analytics = AnalyticsCost.Month(month.Requests, month.Settings.Analytics, AnalyticsPrices.From(month.Book), LlmCost.Infra.Analytics.UsageQueries.Count).Total;
        yield return new(CostLineKind.Analytics, Math.Round(analytics, 2), "Firehose ingestion and conversion per GB, S3 per GB-month, Athena per TB scanned, QuickSight per seat");
    }

    public UsageAnalytics(Component parent, UsageAnalyticsArgs args) : base(parent, "analytics")
    {
        var store = new UsageStore(this, args.Settings).Outputs;
        var catalog = new UsageCatalog(this, store).Outputs;
        var delivery = new UsageDelivery(this, new UsageDeliveryArgs(args.Settings, store, catalog, args.RouterLogGroupName)).Outputs;
        var queries = new UsageWorkgroup(this, new UsageWorkgroupArgs(args.Settings, store, catalog)).Outputs;
        if (args.Settings.QuickSightPrincipalArn is { } principal)
        {
            _ = new UsageQuickSight(this, new UsageQuickSightArgs(principal, queries.WorkgroupName, catalog.DatabaseLiteral, queries.Queries));
        }

        Outputs = new UsageAnalyticsOutputs(store.BucketName, catalog.DatabaseName, catalog.TableName, delivery.StreamName, queries.WorkgroupName);
    }

    public UsageAnalyticsOutputs Outputs { get; }
}

internal sealed record UsageAnalyticsArgs(AnalyticsSettings Settings, Value RouterLogGroupName);

internal sealed record UsageAnalyticsOutputs(Value BucketName, Value DatabaseName, Value TableName, Value StreamName, Value WorkgroupName);
