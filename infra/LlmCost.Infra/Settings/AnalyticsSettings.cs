namespace LlmCost.Infra.Settings;

/// <summary>
/// <c>llm-cost:analytics</c>: where every usage record goes after the router's log group (S3, catalogued in Glue,
/// queried with Athena) and how long it stays.
/// </summary>
/// <param name="Enabled">Default true: every request's record is kept and queryable. False: no analytics resources (records stay in the router's log group for its retention only).</param>
/// <param name="InfrequentAccessAfterDays">Records move to S3 Standard-IA after this many days (default <see cref="DefaultInfrequentAccessAfterDays"/>; S3 needs at least 30).</param>
/// <param name="RetentionDays">Records are deleted after this many days (default <see cref="DefaultRetentionDays"/>: a year and a month, so a year-on-year month is still there).</param>
/// <param name="MaxScanGbPerQuery">Athena cancels a query of the workgroup once it has scanned this many GB (default <see cref="DefaultMaxScanGbPerQuery"/>: about 0.005 USD a query at 5 USD per TB).</param>
/// <param name="BufferSeconds">Firehose writes an object at least this often (default <see cref="DefaultBufferSeconds"/>): how late a record reaches Athena, against how many small objects it scans.</param>
/// <param name="ResultRetentionDays">Athena query results are deleted after this many days (default <see cref="DefaultResultRetentionDays"/>).</param>
/// <param name="QuickSightPrincipalArn">A QuickSight user or group ARN: when set, a QuickSight Athena data source and datasets are created and shared with it (default none: no QuickSight resources; the account must be subscribed to QuickSight first).</param>
internal sealed record AnalyticsSettings(
    bool Enabled,
    int InfrequentAccessAfterDays,
    int RetentionDays,
    int MaxScanGbPerQuery,
    int BufferSeconds,
    int ResultRetentionDays,
    string? QuickSightPrincipalArn)
{
    public const string Key = StackFileReader.ProjectNamespace + ":analytics";
    public const int DefaultInfrequentAccessAfterDays = 30;
    public const int DefaultRetentionDays = 400;
    public const int DefaultMaxScanGbPerQuery = 1;
    public const int DefaultBufferSeconds = 300;
    public const int DefaultResultRetentionDays = 7;

    /// <summary>S3 refuses a transition to Standard-IA earlier than 30 days after creation.</summary>
    public const int MinInfrequentAccessDays = 30;

    /// <summary>Firehose's buffering interval limits (seconds).</summary>
    public const int MinBufferSeconds = 60;
    public const int MaxBufferSeconds = 900;
}

internal static class AnalyticsSettingsReader
{
    private const string QuickSightPrincipalPattern = @"^arn:aws[a-z-]*:quicksight:[a-z0-9-]+:\d{12}:(user|group)/[A-Za-z0-9._@+=,-]+/[A-Za-z0-9._@+=,/-]+$";

    public static AnalyticsSettings Read(StackConfig config)
    {
        var node = ConfigNode.Parse(config.Source, AnalyticsSettings.Key, config.Values.GetValueOrDefault(AnalyticsSettings.Key));
        var settings = new AnalyticsSettings(
            Enabled: node.Bool("enabled", true),
            InfrequentAccessAfterDays: node.Int("infrequentAccessAfterDays", AnalyticsSettings.DefaultInfrequentAccessAfterDays, AnalyticsSettings.MinInfrequentAccessDays, 3650),
            RetentionDays: node.Int("retentionDays", AnalyticsSettings.DefaultRetentionDays, 1, 3650),
            MaxScanGbPerQuery: node.Int("maxScanGbPerQuery", AnalyticsSettings.DefaultMaxScanGbPerQuery, 1, 10_000),
            BufferSeconds: node.Int("bufferSeconds", AnalyticsSettings.DefaultBufferSeconds, AnalyticsSettings.MinBufferSeconds, AnalyticsSettings.MaxBufferSeconds),
            ResultRetentionDays: node.Int("resultRetentionDays", AnalyticsSettings.DefaultResultRetentionDays, 1, 3650),
            QuickSightPrincipalArn: node.String("quickSightPrincipalArn", null, QuickSightPrincipalPattern,
                "a QuickSight user or group ARN such as arn:aws:quicksight:us-east-1:123456789012:group/default/analysts"));
        node.RejectUnknown();

        // S3 needs an object to stay 30 days in Standard-IA before it is deleted, or it bills the 30 days anyway.
        if (settings.RetentionDays < settings.InfrequentAccessAfterDays + 30)
        {
            throw node.Error("retentionDays",
                $"must be at least infrequentAccessAfterDays + 30 ({settings.InfrequentAccessAfterDays + 30}): Standard-IA bills 30 days at least; got {settings.RetentionDays}");
        }

        return settings;
    }
}
