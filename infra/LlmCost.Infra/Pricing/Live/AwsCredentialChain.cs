using LlmCost.Aws;

namespace LlmCost.Infra.Pricing.Live;

/// <summary>
/// The standard AWS credential chain (environment, web identity, shared config and credentials files with
/// profiles, SSO, container, instance metadata), as the AWS SDK for .NET resolves it.
/// </summary>
public static class AwsCredentialChain
{
    public static async Task<AwsCredentials> ResolveAsync(CancellationToken cancel)
    {
        try
        {
            var credentials = Amazon.Runtime.Credentials.DefaultAWSCredentialsIdentityResolver.GetCredentials();
            var resolved = await credentials.GetCredentialsAsync().WaitAsync(cancel);
            return new AwsCredentials(resolved.AccessKey, resolved.SecretKey, resolved.UseToken ? resolved.Token : null);
        }
        catch (Exception e) when (e is Amazon.Runtime.AmazonClientException or InvalidOperationException)
        {
            throw new PricingException($"no AWS credentials found (environment, profile, container or instance metadata): {e.Message}", e);
        }
    }
}
