using LlmCost.Infra.Analytics;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.Analytics;

/// <summary>
/// Where the stack's usage is queried: an Athena workgroup whose settings clients cannot override (results
/// encrypted under the bucket's own prefix, a scan limit per query so one careless query costs cents, engine 3),
/// and one named query per SQL file in <c>analytics/queries/</c>, with the plan's forecast put in.
/// </summary>
internal sealed class UsageWorkgroup : Component
{
    public const long BytesPerGb = 1_073_741_824;

    public UsageWorkgroup(Component parent, UsageWorkgroupArgs args) : base(parent, "queries")
    {
        var name = AwsNames.AthenaWorkgroupName.Join("-", Context.NamePrefix, "usage");
        var workgroup = Add("workgroup", "aws:athena/workgroup:Workgroup", Map(
            ("name", name),
            ("description", $"llm-cost {Context.Settings.Stack}: usage analytics, at most {args.Settings.MaxScanGbPerQuery} GB scanned per query"),
            ("configuration", Map(
                ("enforceWorkgroupConfiguration", true),
                ("publishCloudwatchMetricsEnabled", true),
                ("bytesScannedCutoffPerQuery", args.Settings.MaxScanGbPerQuery * BytesPerGb),
                ("engineVersion", Map(("selectedEngineVersion", "Athena engine version 3"))),
                ("resultConfiguration", Map(
                    ("outputLocation", Interpolate("s3://", args.Store.BucketName, "/", UsageStore.ResultsPrefix)),
                    ("encryptionConfiguration", Map(("encryptionOption", "SSE_S3")))))))));

        var forecast = Context.Costs.Forecast;
        var queries = UsageQueries.All(forecast.P50.Total, forecast.P90.Total);
        foreach (var query in queries)
        {
            Add($"query-{query.Name.Replace('_', '-')}", "aws:athena/namedQuery:NamedQuery", Map(
                ("name", AwsNames.AthenaNamedQueryName.Join("-", Context.NamePrefix, query.Name)),
                ("description", query.Description.Length <= 1024 ? query.Description : query.Description[..1024]),
                ("workgroup", Ref(workgroup.Name, "name")),
                ("database", args.Catalog.DatabaseName),
                ("query", query.Sql)));
        }

        Outputs = new UsageWorkgroupOutputs(Ref(workgroup.Name, "name"), queries);
    }

    public UsageWorkgroupOutputs Outputs { get; }
}

internal sealed record UsageWorkgroupArgs(AnalyticsSettings Settings, UsageStoreOutputs Store, UsageCatalogOutputs Catalog);

/// <param name="Queries">The named queries' SQL, forecast put in: what QuickSight's datasets run too.</param>
internal sealed record UsageWorkgroupOutputs(Value WorkgroupName, IReadOnlyList<UsageQuery> Queries);
