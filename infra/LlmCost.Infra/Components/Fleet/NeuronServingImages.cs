using System.Collections.Frozen;

namespace LlmCost.Infra.Components.Fleet;

/// <summary>
/// The Neuron serving container per region: Hugging Face TGI for Neuron (optimum-neuron), the image SageMaker's
/// own SDK deploys for <c>huggingface-llm-neuronx</c> 0.3 on inf2. It speaks TGI's API and, with
/// <c>MESSAGES_API_ENABLED</c>, OpenAI chat completions on <c>/invocations</c> (the body the router's fleet client
/// sends).
/// <para>
/// Source: aws/sagemaker-python-sdk, <c>sagemaker-core/src/sagemaker/core/image_uri_config/huggingface-llm-neuronx.json</c>
/// (last changed 2026-07-09; read at commit a24812666d258d9d19c9a82d0c9385ca0bd3ba01 of 2026-08-21), version 0.3.0:
/// repository <c>huggingface-pytorch-tgi-inference</c>, tag prefix <c>2.7.0-optimum3.3.6</c>, py310,
/// container ubuntu22.04; the tag is assembled as the SDK's <c>image_uris._format_tag</c> does
/// (prefix-neuronx-py-container). Table as of 2026-11-28; isolated (ISO) regions left out. A stack can set
/// <c>llm-cost:fleet.image</c> instead.
/// </para>
/// </summary>
internal static class NeuronServingImages
{
    public const string AsOf = "2026-11-28";

    public const string Source = "aws/sagemaker-python-sdk image_uri_config/huggingface-llm-neuronx.json, version 0.3.0 (commit a2481266, 2026-08-21)";

    public const string Repository = "huggingface-pytorch-tgi-inference";

    public const string Tag = "2.7.0-optimum3.3.6-neuronx-py310-ubuntu22.04";

    /// <summary>An ECR image URI: registry account, region, repository, and a tag or digest.</summary>
    public const string EcrImagePattern = @"^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/([a-z0-9][a-z0-9._/-]{0,254})(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$";

    /// <summary>The ECR registry (AWS's Deep Learning Containers account) that holds the image in each region.</summary>
    private static readonly FrozenDictionary<string, string> Registries = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["af-south-1"] = "626614931356",
        ["ap-east-1"] = "871362719292",
        ["ap-east-2"] = "975050140332",
        ["ap-northeast-1"] = "763104351884",
        ["ap-northeast-2"] = "763104351884",
        ["ap-northeast-3"] = "364406365360",
        ["ap-south-1"] = "763104351884",
        ["ap-south-2"] = "772153158452",
        ["ap-southeast-1"] = "763104351884",
        ["ap-southeast-2"] = "763104351884",
        ["ap-southeast-3"] = "907027046896",
        ["ap-southeast-4"] = "457447274322",
        ["ap-southeast-5"] = "550225433462",
        ["ap-southeast-6"] = "633930458069",
        ["ap-southeast-7"] = "590183813437",
        ["ca-central-1"] = "763104351884",
        ["ca-west-1"] = "204538143572",
        ["cn-north-1"] = "727897471807",
        ["cn-northwest-1"] = "727897471807",
        ["eu-central-1"] = "763104351884",
        ["eu-central-2"] = "380420809688",
        ["eu-north-1"] = "763104351884",
        ["eu-south-1"] = "692866216735",
        ["eu-south-2"] = "503227376785",
        ["eu-west-1"] = "763104351884",
        ["eu-west-2"] = "763104351884",
        ["eu-west-3"] = "763104351884",
        ["il-central-1"] = "780543022126",
        ["me-central-1"] = "914824155844",
        ["me-south-1"] = "217643126080",
        ["mx-central-1"] = "637423239942",
        ["sa-east-1"] = "763104351884",
        ["us-east-1"] = "763104351884",
        ["us-east-2"] = "763104351884",
        ["us-gov-east-1"] = "446045086412",
        ["us-gov-west-1"] = "442386744353",
        ["us-west-1"] = "763104351884",
        ["us-west-2"] = "763104351884",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The image for <paramref name="region"/>, or null where the table has none.</summary>
    public static string? For(string region) => Registries.TryGetValue(region, out var account)
        ? $"{account}.dkr.ecr.{region}.{(region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}/{Repository}:{Tag}"
        : null;

    public static IEnumerable<string> Regions => Registries.Keys.Order(StringComparer.Ordinal);
}
