namespace LlmCost.Aws;

/// <summary>Credentials to sign with; <see cref="SessionToken"/> is set for temporary (role) credentials.</summary>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>Redacted: credentials never reach a log through ToString.</summary>
    public override string ToString() => $"AwsCredentials({AccessKeyId[..Math.Min(4, AccessKeyId.Length)]}..., secret redacted)";
}
