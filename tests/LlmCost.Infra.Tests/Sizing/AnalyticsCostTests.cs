using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Tests.Sizing;

/// <summary>
/// The analytics line by part. Months are 730 hours (30.41667 days); GB and TB are decimal (Athena bills per TB); the
/// workgroup's cutoff is binary GB (1,073,741,824 bytes). Eight named queries (analytics/queries/), each run once a day:
/// 8 x 30.41667 = 243.333 runs a month, each reading 12% of the Parquet the table holds.
/// </summary>
public sealed class AnalyticsCostTests
{
    private static readonly AnalyticsPrices ListPrices = new(FirehoseIngestionPerGb: 0.029m, FormatConversionPerGb: 0.018m, S3StandardPerGbMonth: 0.023m,
        S3StandardIaPerGbMonth: 0.0125m, AthenaPerTbScanned: 5m, QuickSightAuthorPerMonth: 24m, QuickSightReaderPerMonth: 3m);

    private static readonly AnalyticsSettings Defaults = new(true, 30, 400, 1, 300, 7, null);

    [Fact]
    public void Month_MillionRequests_IsDeliveryStorageAndScans()
    {
        var month = AnalyticsCost.Month(1_000_000m, Defaults, ListPrices, namedQueries: 8);

        // 1,000,000 x 1,200 B = 1.2 GB delivered: 1.2 x (0.029 + 0.018) = 0.0564.
        month.Firehose.Should().BeApproximately(0.0564m, 0.0000001m);
        // Parquet 0.24 GB a month, kept 30 days in Standard and 370 in Standard-IA:
        // 0.24 x (30 / 30.41667 x 0.023 + 370 / 30.41667 x 0.0125) = 0.24 x (0.0226849 + 0.1520548) = 0.0419375.
        month.S3.Should().BeApproximately(0.0419375m, 0.0000001m);
        // The table holds 400 days: 0.24 x 400 / 30.41667 = 3.156164 GB; a query reads 12% of it, 0.3787397 GB (over
        // 10 MB, under the 1 GB cutoff). 243.333 runs x 0.3787397 GB = 92.16 GB = 0.09216 TB x 5 = 0.4608.
        month.TableGb.Should().BeApproximately(3.156164m, 0.000001m);
        month.ScannedGbPerQuery.Should().BeApproximately(0.3787397m, 0.0000001m);
        month.QueriesPerMonth.Should().BeApproximately(243.3333m, 0.0001m);
        month.Athena.Should().BeApproximately(0.4608m, 0.0000001m);
        (month.QuickSight, month.OverCutoff).Should().Be((0m, false));
        month.Total.Should().BeApproximately(0.5591375m, 0.0000001m);
    }

    [Fact]
    public void Month_SmallTable_IsBilledAthenasTenMegabyteMinimum()
    {
        // 10,000 requests: Parquet 0.0024 GB a month, table 0.0315616 GB, a query reads 3.79 MB: billed 10 MB.
        // 243.333 x 0.01 GB = 2.43333 GB x 5 / 1000 = 0.0121667.
        var month = AnalyticsCost.Month(10_000m, Defaults, ListPrices, namedQueries: 8);

        month.ScannedGbPerQuery.Should().Be(0.01m);
        month.Athena.Should().BeApproximately(0.0121667m, 0.0000001m);
    }

    [Fact]
    public void Month_TableBeyondTheCutoff_IsBilledAtTheCutoffAndSaysSo()
    {
        // 100,000,000 requests: table 315.6164 GB, a query would read 37.87 GB; the workgroup cancels it at
        // 1 x 1,073,741,824 bytes. 243.333 x 1.073741824 GB x 5 / 1000 = 1.3063859.
        var month = AnalyticsCost.Month(100_000_000m, Defaults, ListPrices, namedQueries: 8);

        (month.ScannedGbPerQuery, month.OverCutoff).Should().Be((1.073741824m, true));
        month.Athena.Should().BeApproximately(1.3063859m, 0.0000001m);
    }

    [Fact]
    public void Month_WithAQuickSightPrincipal_CountsOneAuthorSeat()
    {
        var month = AnalyticsCost.Month(1_000_000m, Defaults with { QuickSightPrincipalArn = "arn:aws:quicksight:us-east-1:123456789012:group/default/analysts" }, ListPrices, 8);

        (month.QuickSight, month.QuickSightAuthors).Should().Be((24m, 1));
        month.Total.Should().BeApproximately(24.5591375m, 0.0000001m);
    }

    [Fact]
    public void Month_Disabled_IsZero() =>
        AnalyticsCost.Month(1_000_000m, Defaults with { Enabled = false, QuickSightPrincipalArn = "arn:aws:quicksight:us-east-1:123456789012:user/default/a" }, ListPrices, 8)
            .Total.Should().Be(0m);

    [Fact]
    public void Forecast_DevStack_CarriesTheAnalyticsLine()
    {
        // stacks/Pulumi.dev.yaml: 0.5 req/s 09-18 on weekdays (45 h), 0.05 the other 123 h of a week:
        // (81,000 + 22,140) x 730 / 168 = 448,167.86 requests = 0.5378014 GB. Firehose 0.5378014 x 0.047 = 0.0252767.
        // Records kept 90 days, 30 in Standard: 0.1075603 GB Parquet x (0.9863 x 0.023 + 1.9726 x 0.0125) = 0.0050922.
        // Athena: a query reads 0.1075603 x 90 / 30.41667 x 0.12 = 38.2 MB; 8 x 30.41667 runs x 38.2 MB = 9.29321 GB
        // x 5 / 1000 = 0.0464661. No QuickSight. Total 0.076835 -> 0.08.
        Repo.Costs(Repo.Settings("dev")).Forecast.P50[CostLineKind.Analytics].Should().Be(0.08m);
    }

    [Fact]
    public void Forecast_ProdStack_CarriesAthenaAndQuickSight()
    {
        // stacks/Pulumi.prod.yaml: 12 req/s 08-20 on weekdays (60 h), 3 the other 108 h: (2,592,000 + 1,166,400) x 730 / 168
        // = 16,331,142.86 requests = 19.597371 GB. Firehose x 0.047 = 0.9210765. Parquet 3.9194743 GB a month, 30 days
        // Standard, 370 Standard-IA: x (0.0226849 + 0.1520548) = 0.6848886. Athena: a query reads 3.9194743 x 400 /
        // 30.41667 x 0.12 = 6.19 GB (under the 10 GB cutoff); 8 x 30.41667 runs: 8 x 400 x 0.12 x 3.9194743 = 1,505.0781 GB
        // x 5 / 1000 = 7.5253906. QuickSight (prod names a group): one author, 24. Total 33.1313557 -> 33.13.
        var costs = Repo.Costs(Repo.Settings("prod"));
        var month = AnalyticsCost.Month(costs.Demand.RequestsPerMonth, Repo.Settings("prod").Analytics, AnalyticsPrices.From(costs.Prices), 8);

        month.Firehose.Should().BeApproximately(0.9210765m, 0.000001m);
        month.S3.Should().BeApproximately(0.6848886m, 0.000001m);
        month.Athena.Should().BeApproximately(7.5253906m, 0.000001m);
        month.QuickSight.Should().Be(24m);
        costs.Forecast.P50[CostLineKind.Analytics].Should().Be(33.13m);
    }
}
