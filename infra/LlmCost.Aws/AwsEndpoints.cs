namespace LlmCost.Aws;

/// <summary>
/// Endpoint resolution with the overrides every AWS SDK honours: <c>AWS_ENDPOINT_URL_&lt;SERVICE_ID&gt;</c>, then
/// <c>AWS_ENDPOINT_URL</c>, unless <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c>. Signing name and region are
/// unchanged by an override. Tests point these at 127.0.0.1.
/// </summary>
public static class AwsEndpoints
{
    /// <summary>A service: its SDK service ID (for the variable name), its signing name and its default endpoint.</summary>
    public sealed record Service(string ServiceId, string SigningName, Func<string, Uri> DefaultEndpoint)
    {
        public string EnvironmentVariable => "AWS_ENDPOINT_URL_" + ServiceId.ToUpperInvariant().Replace(' ', '_');
    }

    public static readonly Service BedrockRuntime = new("Bedrock Runtime", "bedrock", region => new Uri($"https://bedrock-runtime.{region}.amazonaws.com"));
    public static readonly Service SageMakerRuntime = new("SageMaker Runtime", "sagemaker", region => new Uri($"https://runtime.sagemaker.{region}.amazonaws.com"));
    public static readonly Service Bedrock = new("Bedrock", "bedrock", region => new Uri($"https://bedrock.{region}.amazonaws.com"));
    public static readonly Service Lambda = new("Lambda", "lambda", region => new Uri($"https://lambda.{region}.amazonaws.com"));
    public static readonly Service Pricing = new("Pricing", "pricing", region => new Uri($"https://api.pricing.{region}.amazonaws.com"));
    public static readonly Service SavingsPlans = new("savingsplans", "savingsplans", _ => new Uri("https://savingsplans.amazonaws.com"));

    /// <summary>S3's regional endpoint; callers address a bucket virtual-hosted there, and path-style under an override.</summary>
    public static readonly Service S3 = new("S3", "s3", region => new Uri($"https://s3.{region}.amazonaws.com"));
    public static readonly Service Sts = new("STS", "sts", region => new Uri($"https://sts.{region}.amazonaws.com"));

    public static Uri Resolve(Service service, string region, Func<string, string?> environment) =>
        Override(service, environment) ?? service.DefaultEndpoint(region);

    /// <summary>The endpoint an environment variable sets for the service, or null when none does (or overrides are ignored).</summary>
    public static Uri? Override(Service service, Func<string, string?> environment)
    {
        if (string.Equals(environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var name in new[] { service.EnvironmentVariable, "AWS_ENDPOINT_URL" })
        {
            var value = environment(name);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https")
                    ? uri
                    : throw new ArgumentException($"{name} must be an absolute http(s) URL, got \"{value}\".");
            }
        }

        return null;
    }
}
