using LlmCost.CostModel;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Pricing;

/// <summary>Where one figure came from: <c>live</c>, <c>cache</c> or <c>snapshot</c>, as of when, and the detail (SKU, usage type or citation).</summary>
internal sealed record PriceOrigin(PriceOriginKind Source, string AsOf, string Detail)
{
    public override string ToString() => $"{Source.Name()} {AsOf}: {Detail}";
}

internal sealed record PricedTokens(TokenPrices Prices, PriceOrigin Origin);

internal sealed record PricedHourly(decimal Hourly, PriceOrigin Origin);

/// <summary>A service price per the unit its key names (per million requests, per GB, per GB-second, per GB-month).</summary>
internal sealed record PricedUnit(decimal PerUnit, PriceOrigin Origin);

/// <summary>A Savings Plan rate for one instance type: plan type (Compute, EC2Instance, SageMaker), term and payment option.</summary>
internal sealed record SavingsPlanRate(string PlanType, int TermYears, string PaymentOption, string InstanceType, decimal Hourly, PriceOrigin Origin);

/// <summary>What a stack needs priced, in its region.</summary>
internal sealed record PriceQuery(string Region, IReadOnlyList<string> BedrockModels, FleetPlatform? FleetPlatform, string? FleetInstanceType);

/// <summary>
/// Every price one plan uses, each with its origin. <see cref="Fallback"/> says, in words, when the chosen source
/// could not be used and another stood in.
/// </summary>
internal sealed record PriceBook(
    string Region,
    IReadOnlyDictionary<string, PricedTokens> Bedrock,
    IReadOnlyDictionary<string, PricedHourly> Instances,
    IReadOnlyList<SavingsPlanRate> SavingsPlans,
    IReadOnlyDictionary<string, PricedUnit> Services,
    PriceOriginKind Source,
    string? Fallback)
{
    public static string InstanceKey(FleetPlatform platform, string instanceType) => $"{platform.Name()}/{instanceType}";
}

/// <summary>Per-unit service prices the forecast needs besides models and instances (keys of <see cref="PriceBook.Services"/>).</summary>
internal static class ServicePrices
{
    public const string GatewayPerMillionRequests = "apigateway-rest-per-1m-requests";
    public const string LambdaPerMillionRequests = "lambda-per-1m-requests";
    public const string LambdaArmPerGbSecond = "lambda-arm64-per-gb-second";
    public const string LambdaX86PerGbSecond = "lambda-x86_64-per-gb-second";
    public const string LogsIngestionPerGb = "cloudwatch-logs-ingestion-per-gb";

    /// <summary>The fleet instances' volumes: per GB-month, billed while an instance runs.</summary>
    public const string SageMakerStoragePerGbMonth = "sagemaker-ml-storage-per-gb-month";

    /// <summary>A fleet on ECS: each instance's root volume (gp3), its internal load balancer, and the Bedrock interface endpoint.</summary>
    public const string EbsGp3PerGbMonth = "ebs-gp3-per-gb-month";
    public const string AlbPerHour = "elb-application-per-hour";
    public const string AlbPerLcuHour = "elb-application-per-lcu-hour";
    public const string InterfaceEndpointPerAzHour = "vpc-interface-endpoint-per-az-hour";
    public const string InterfaceEndpointPerGb = "vpc-interface-endpoint-per-gb";

    public const string FirehoseIngestionPerGb = "firehose-ingestion-per-gb";
    public const string FirehoseFormatConversionPerGb = "firehose-format-conversion-per-gb";
    public const string S3StandardPerGbMonth = "s3-standard-per-gb-month";
    public const string S3StandardIaPerGbMonth = "s3-standard-ia-per-gb-month";
    public const string AthenaPerTbScanned = "athena-per-tb-scanned";
    public const string QuickSightAuthorPerMonth = "quicksight-author-per-user-month";
    public const string QuickSightReaderPerMonth = "quicksight-reader-per-user-month";
}

/// <summary>Pricing could not give what was asked; the message says which source failed and why.</summary>
internal class PricingException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>An AWS API answered with an error: its HTTP status and error code, for callers that expect some (a 404 for "none yet").</summary>
internal sealed class AwsServiceException(string message, int status, string code) : PricingException(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}
