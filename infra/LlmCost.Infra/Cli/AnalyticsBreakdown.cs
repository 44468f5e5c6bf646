using System.Globalization;
using System.Text;
using LlmCost.Infra.Analytics;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Stack;

namespace LlmCost.Infra.Cli;

/// <summary>
/// The forecast's one analytics line, taken apart for a person: Firehose, S3, Athena and QuickSight at the P50 month,
/// each with the quantities and prices it rests on (the same computation as the line: <see cref="AnalyticsCost.Month"/>).
/// </summary>
internal static class AnalyticsBreakdown
{
    public static void Append(StringBuilder text, SynthesizedStack stack)
    {
        var settings = stack.Settings.Analytics;
        text.AppendLine();
        if (!settings.Enabled)
        {
            text.AppendLine("analytics: none (llm-cost:analytics.enabled is false)");
            return;
        }

        var prices = AnalyticsPrices.From(stack.Costs.Prices);
        var m = AnalyticsCost.Month(stack.Costs.Demand.RequestsPerMonth, settings, prices, UsageQueries.Count);
        var parquetGb = m.DeliveredGb * AnalyticsCost.ParquetShare;
        var standardDays = Math.Min(settings.InfrequentAccessAfterDays, settings.RetentionDays);
        string Line(string part, decimal usd, string basis) => string.Create(CultureInfo.InvariantCulture, $"  {part,-10} {usd,12:N2}   {basis}");

        text.AppendLine("analytics at P50 (USD/month, with its basis)");
        text.AppendLine(Line("firehose", m.Firehose, string.Create(CultureInfo.InvariantCulture,
            $"{m.DeliveredGb:0.###} GB of records ({AnalyticsCost.RecordBytes:N0} bytes each) ingested and converted to Parquet at {prices.FirehoseIngestionPerGb + prices.FormatConversionPerGb:0.###} USD/GB")));
        text.AppendLine(Line("s3", m.S3, string.Create(CultureInfo.InvariantCulture,
            $"Parquet at {AnalyticsCost.ParquetShare:0.##} of the JSON ({parquetGb:0.###} GB a month), {standardDays} days in Standard at {prices.S3StandardPerGbMonth} and {Math.Max(0, settings.RetentionDays - settings.InfrequentAccessAfterDays)} in Standard-IA at {prices.S3StandardIaPerGbMonth} USD/GB-month")));
        text.AppendLine(Line("athena", m.Athena, string.Create(CultureInfo.InvariantCulture,
            $"{UsageQueries.Count} named queries x {AnalyticsCost.RunsPerQueryPerDay:0.##} a day = {m.QueriesPerMonth:N0} runs, each billed {Size(m.ScannedGbPerQuery)}: the columns they read ({AnalyticsCost.NamedQueryColumnShare * 100:0.#}%) of the {m.TableGb:0.###} GB the table holds over {settings.RetentionDays} days (no dt filter), at least 10 MB, at {prices.AthenaPerTbScanned:0.##} USD/TB")));
        text.AppendLine(Line("quicksight", m.QuickSight, m.QuickSightAuthors == 0
            ? "none (no quickSightPrincipalArn)"
            : string.Create(CultureInfo.InvariantCulture,
                $"{m.QuickSightAuthors} author seat at {prices.QuickSightAuthorPerMonth:0.##} USD/month for {settings.QuickSightPrincipalArn} (direct query, no SPICE); each reader adds {prices.QuickSightReaderPerMonth:0.##} USD/month, not counted")));
        if (m.OverCutoff)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  NOTE: a named query would read {Size(m.TableGb * AnalyticsCost.NamedQueryColumnShare)}, more than the workgroup's cutoff of {settings.MaxScanGbPerQuery} GB: Athena cancels it there (billed as above); filter on dt or raise maxScanGbPerQuery");
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"  not counted: S3 requests and Standard-IA retrievals of Athena's reads (a query over every day opens at least {settings.RetentionDays * (86400 / settings.BufferSeconds):N0} objects: {86400 / settings.BufferSeconds} a day for {settings.RetentionDays} days), Glue (free under a million objects and requests)");
    }

    private static string Size(decimal gb) => gb >= 1m
        ? string.Create(CultureInfo.InvariantCulture, $"{gb:0.##} GB")
        : string.Create(CultureInfo.InvariantCulture, $"{gb * 1000m:0.#} MB");
}
