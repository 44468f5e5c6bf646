using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;

namespace LlmCost.Infra.Cli;

/// <summary>Distinct exit codes, so scripts can tell a bad setting from a missing build.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int BadConfig = 2;
    public const int BundleMissing = 3;
    public const int SynthesisFailed = 4;
    public const int PricingFailed = 5;
    public const int BadDiffInput = 6;

    /// <summary><c>usage fetch</c>: no credentials, access denied, no such bucket, or S3 failing; nothing half-written is left.</summary>
    public const int UsageFetchFailed = 7;

    public static int For(Exception e) => e switch
    {
        ConfigError => BadConfig,
        BundleMissingException => BundleMissing,
        Pricing.PricingException => PricingFailed,
        Analytics.UsageFetchException => UsageFetchFailed,
        _ => SynthesisFailed,
    };
}
