using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Sizing;

/// <summary>The usage-analytics prices one month needs (USD; per GB delivered or per GB-month stored).</summary>
public sealed record AnalyticsPrices(decimal FirehoseIngestionPerGb, decimal FormatConversionPerGb, decimal S3StandardPerGbMonth, decimal S3StandardIaPerGbMonth);

/// <summary>
/// One month of the usage-analytics pipeline at steady state (the bucket holding its full retention): Firehose
/// ingestion and Parquet conversion of every record, and S3 storage of the Parquet objects, in Standard until they
/// move to Standard-IA. Athena scans depend on how often people query and are not forecast (each query is capped by
/// the workgroup's scan limit); QuickSight is billed per user, not by usage.
/// </summary>
public static class AnalyticsCost
{
    /// <summary>A usage record line with its EMF envelope, as the planner counts it for CloudWatch Logs.</summary>
    public const decimal RecordBytes = 1200m;

    /// <summary>ASSUMPTION: Parquet with Snappy keeps about a fifth of the JSON's bytes (repetitive columns, no field names per row).</summary>
    public const decimal ParquetShare = 0.2m;

    private const decimal DaysPerMonth = DemandProfile.HoursPerMonth / 24m;

    public static decimal Monthly(decimal requestsPerMonth, AnalyticsSettings settings, AnalyticsPrices prices)
    {
        if (!settings.Enabled)
        {
            return 0m;
        }

        var deliveredGb = requestsPerMonth * RecordBytes / 1_000_000_000m;
        var delivery = deliveredGb * (prices.FirehoseIngestionPerGb + prices.FormatConversionPerGb);

        // Each month's objects stay in Standard until the transition, then in Standard-IA until deleted.
        var standardMonths = Math.Min(settings.InfrequentAccessAfterDays, settings.RetentionDays) / DaysPerMonth;
        var infrequentMonths = Math.Max(0, settings.RetentionDays - settings.InfrequentAccessAfterDays) / DaysPerMonth;
        var storage = deliveredGb * ParquetShare * ((standardMonths * prices.S3StandardPerGbMonth) + (infrequentMonths * prices.S3StandardIaPerGbMonth));
        return delivery + storage;
    }
}
