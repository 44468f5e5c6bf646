using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Tests.Sizing;

public sealed class AnalyticsCostTests
{
    private static readonly AnalyticsPrices ListPrices = new(FirehoseIngestionPerGb: 0.029m, FormatConversionPerGb: 0.018m, S3StandardPerGbMonth: 0.023m, S3StandardIaPerGbMonth: 0.0125m);

    private static readonly AnalyticsSettings Defaults = new(true, 30, 400, 1, 300, 7, null);

    [Fact]
    public void Monthly_MillionRequests_IsDeliveryPlusSteadyStateStorage()
    {
        // 1,000,000 x 1,200 B = 1.2 GB delivered: 1.2 x (0.029 + 0.018) = 0.0564.
        // Parquet 0.24 GB a month, kept 30 days in Standard and 370 in Standard-IA (months of 730 h = 30.41667 days):
        // 0.24 x (30 / 30.41667 x 0.023 + 370 / 30.41667 x 0.0125) = 0.24 x (0.0226849 + 0.1520548) = 0.0419375. Total 0.0983375.
        AnalyticsCost.Monthly(1_000_000m, Defaults, ListPrices).Should().BeApproximately(0.0983375m, 0.0000001m);
    }

    [Fact]
    public void Monthly_Disabled_IsZero() =>
        AnalyticsCost.Monthly(1_000_000m, Defaults with { Enabled = false }, ListPrices).Should().Be(0m);

    [Fact]
    public void Forecast_DevStack_CarriesTheAnalyticsLine()
    {
        // stacks/Pulumi.dev.yaml: 0.5 req/s 09-18 on weekdays (45 h), 0.05 the other 123 h of a week:
        // (81,000 + 22,140) x 730 / 168 = 448,166 requests = 0.5378 GB. Delivery 0.5378 x 0.047 = 0.02528; records kept
        // 90 days, 30 in Standard: 0.5378 x 0.2 x (0.9863 x 0.023 + 1.9726 x 0.0125) = 0.00509. Total 0.0304 -> 0.03.
        Repo.Costs(Repo.Settings("dev")).Forecast.P50.Analytics.Should().Be(0.03m);
    }
}
