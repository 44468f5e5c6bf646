using LlmCost.Infra.Pricing;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Sizing;

/// <summary>The usage-analytics prices one month needs (USD; per GB delivered, per GB-month stored, per TB scanned, per seat-month).</summary>
internal sealed record AnalyticsPrices(
    decimal FirehoseIngestionPerGb, decimal FormatConversionPerGb, decimal S3StandardPerGbMonth, decimal S3StandardIaPerGbMonth,
    decimal AthenaPerTbScanned = 0m, decimal QuickSightAuthorPerMonth = 0m, decimal QuickSightReaderPerMonth = 0m)
{
    /// <summary>The book's figures (0 where it has none, as for every service price the forecast reads).</summary>
    public static AnalyticsPrices From(PriceBook book)
    {
        decimal Price(string key) => book.Services.TryGetValue(key, out var price) ? price.PerUnit : 0m;
        return new AnalyticsPrices(
            Price(ServicePrices.FirehoseIngestionPerGb), Price(ServicePrices.FirehoseFormatConversionPerGb),
            Price(ServicePrices.S3StandardPerGbMonth), Price(ServicePrices.S3StandardIaPerGbMonth),
            Price(ServicePrices.AthenaPerTbScanned), Price(ServicePrices.QuickSightAuthorPerMonth), Price(ServicePrices.QuickSightReaderPerMonth));
    }
}

/// <summary>
/// One month of the analytics pipeline by part (USD), with the quantities each rests on.
/// </summary>
/// <param name="DeliveredGb">Usage records delivered in the month (JSON, as Firehose ingests and converts them).</param>
/// <param name="TableGb">Parquet the table holds at steady state (the full retention): what a named query scans columns of.</param>
/// <param name="QueriesPerMonth">Named-query runs in the month.</param>
/// <param name="ScannedGbPerQuery">What each run is billed for: its columns of <paramref name="TableGb"/>, at least Athena's minimum, at most the workgroup's cutoff.</param>
/// <param name="OverCutoff">The named queries would scan more than the workgroup's cutoff: Athena cancels them there (and bills what they scanned).</param>
/// <param name="QuickSightAuthors">Author seats counted (readers are not: the principal's members are not in the stack).</param>
internal sealed record AnalyticsMonth(
    decimal Firehose, decimal S3, decimal Athena, decimal QuickSight,
    decimal DeliveredGb, decimal TableGb, decimal QueriesPerMonth, decimal ScannedGbPerQuery, bool OverCutoff, int QuickSightAuthors)
{
    public static readonly AnalyticsMonth None = new(0m, 0m, 0m, 0m, 0m, 0m, 0m, 0m, false, 0);

    public decimal Total => Firehose + S3 + Athena + QuickSight;
}

/// <summary>
/// One month of the usage-analytics pipeline at steady state (the bucket holding its full retention):
/// <list type="bullet">
/// <item>Firehose: ingestion and Parquet conversion of every record;</item>
/// <item>S3: the Parquet objects, in Standard until they move to Standard-IA, then there until deleted;</item>
/// <item>Athena: each named query (one per file in analytics/queries/) run <see cref="RunsPerQueryPerDay"/> a day. None
/// filters on the <c>dt</c> partition, so each reads its columns of every record the table holds: the Parquet held
/// times <see cref="NamedQueryColumnShare"/>, billed at least Athena's 10 MB and at most the workgroup's cutoff
/// (<c>maxScanGbPerQuery</c>; a query past it is cancelled there and billed for what it scanned);</item>
/// <item>QuickSight, where the stack names a principal: <see cref="QuickSightAuthorSeats"/> author seat (the datasets
/// are direct-query, so no SPICE); readers, per user, are not counted.</item>
/// </list>
/// Not counted: the S3 requests and Standard-IA retrievals of Athena's reads, and Glue (free under a million objects and
/// requests a month).
/// </summary>
internal static class AnalyticsCost
{
    /// <summary>A usage record line with its EMF envelope, as the planner counts it for CloudWatch Logs.</summary>
    public const decimal RecordBytes = 1200m;

    /// <summary>
    /// ASSUMPTION: Parquet with Snappy keeps about a fifth of the JSON's bytes (repetitive columns, no field names per
    /// row). Measured on bench/usage's generated records: 0.12 of their 1.5 KB lines (182 bytes a record); a fifth of
    /// 1.2 KB, 240 bytes, is kept as the conservative figure.
    /// </summary>
    public const decimal ParquetShare = 0.2m;

    /// <summary>
    /// The share of a record's Parquet bytes a named query reads (Athena reads only the columns it names). Measured
    /// with bench/usage/run.sh over its generated records in row groups of 2,000 (about one Firehose object): the eight
    /// named queries read 4.7% to 34.2% (most_expensive_requests reads the request IDs), 11.1% on average; rounded up.
    /// </summary>
    public const decimal NamedQueryColumnShare = 0.12m;

    /// <summary>ASSUMPTION: each named query runs once a day (someone looks daily, or a dashboard refreshes daily).</summary>
    public const decimal RunsPerQueryPerDay = 1m;

    /// <summary>ASSUMPTION: one QuickSight author (someone builds the dashboards on the datasets); readers are extra.</summary>
    public const int QuickSightAuthorSeats = 1;

    /// <summary>Athena bills at least 10 MB a query.</summary>
    public const decimal AthenaMinimumBytes = 10_000_000m;

    private const decimal BytesPerGb = 1_000_000_000m;
    private const decimal BytesPerTb = 1_000_000_000_000m;

    /// <summary>The workgroup's cutoff counts binary GB (<c>maxScanGbPerQuery</c> x 1,073,741,824 bytes).</summary>
    private const decimal CutoffBytesPerGb = 1_073_741_824m;

    private const decimal DaysPerMonth = DemandProfile.HoursPerMonth / 24m;

    public static AnalyticsMonth Month(decimal requestsPerMonth, AnalyticsSettings settings, AnalyticsPrices prices, int namedQueries)
    {
        if (!settings.Enabled)
        {
            return AnalyticsMonth.None;
        }

        var deliveredGb = requestsPerMonth * RecordBytes / BytesPerGb;
        var firehose = deliveredGb * (prices.FirehoseIngestionPerGb + prices.FormatConversionPerGb);

        // Each month's objects stay in Standard until the transition, then in Standard-IA until deleted.
        var parquetGb = deliveredGb * ParquetShare;
        var standardMonths = Math.Min(settings.InfrequentAccessAfterDays, settings.RetentionDays) / DaysPerMonth;
        var infrequentMonths = Math.Max(0, settings.RetentionDays - settings.InfrequentAccessAfterDays) / DaysPerMonth;
        var s3 = parquetGb * ((standardMonths * prices.S3StandardPerGbMonth) + (infrequentMonths * prices.S3StandardIaPerGbMonth));

        var tableGb = parquetGb * settings.RetentionDays / DaysPerMonth;
        var readBytes = tableGb * BytesPerGb * NamedQueryColumnShare;
        var cutoffBytes = settings.MaxScanGbPerQuery * CutoffBytesPerGb;
        var billedBytes = Math.Max(AthenaMinimumBytes, Math.Min(readBytes, cutoffBytes));
        var queries = namedQueries * RunsPerQueryPerDay * DaysPerMonth;
        var athena = queries * billedBytes / BytesPerTb * prices.AthenaPerTbScanned;

        var authors = settings.QuickSightPrincipalArn is null ? 0 : QuickSightAuthorSeats;
        var quickSight = authors * prices.QuickSightAuthorPerMonth;
        return new AnalyticsMonth(firehose, s3, athena, quickSight, deliveredGb, tableGb, queries, billedBytes / BytesPerGb, readBytes > cutoffBytes, authors);
    }
}
