using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Pricing;

/// <summary>
/// How each fleet platform is priced: its Price List service and on-demand filters, the Savings Plans that cover it
/// and how their rates name the instance. The snapshot and the live source both read this, so they cannot disagree
/// about which plans cover a fleet.
/// </summary>
internal sealed record FleetPlatformPricing(
    string PriceListService,
    IReadOnlyList<string> SavingsPlanTypes,
    string SavingsPlansProductType,
    Func<string, string, IReadOnlyList<(string Field, string Value)>> OnDemandFilters,
    Func<SavingsPlanRateUsage, string, bool> CoversInstance)
{
    public static FleetPlatformPricing For(FleetPlatform platform) => platform switch
    {
        FleetPlatform.SageMaker => SageMaker,
        FleetPlatform.Ecs => Ec2,
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    /// <summary>SageMaker real-time hosting (<c>ml.inf2.*</c>), covered by SageMaker Savings Plans only.</summary>
    private static readonly FleetPlatformPricing SageMaker = new(
        "AmazonSageMaker",
        ["SageMaker"],
        "SageMaker",
        (region, type) => [("regionCode", region), ("instanceName", type), ("component", "Hosting")],
        (rate, type) => rate.UsageType.Contains("Host:" + type, StringComparison.Ordinal));

    /// <summary>EC2 on-demand Linux, shared tenancy (<c>inf2.*</c> under ECS), covered by Compute and EC2 Instance Savings Plans.</summary>
    private static readonly FleetPlatformPricing Ec2 = new(
        "AmazonEC2",
        ["Compute", "EC2Instance"],
        "EC2",
        (region, type) =>
        [
            ("instanceType", type), ("regionCode", region), ("operatingSystem", "Linux"), ("tenancy", "Shared"),
            ("preInstalledSw", "NA"), ("capacitystatus", "Used"), ("marketoption", "OnDemand"), ("licenseModel", "No License required"),
        ],
        (rate, type) => rate.UsageType.EndsWith("BoxUsage:" + type, StringComparison.Ordinal) && rate.Operation == "RunInstances"
            && (rate.Tenancy is null || rate.Tenancy.Equals("shared", StringComparison.OrdinalIgnoreCase)));
}

/// <summary>The parts of a Savings Plans offering rate that say which usage it covers.</summary>
internal sealed record SavingsPlanRateUsage(string UsageType, string Operation, string? Tenancy);
