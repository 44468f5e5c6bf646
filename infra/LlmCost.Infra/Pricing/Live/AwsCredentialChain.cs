using LlmCost.Aws;

namespace LlmCost.Infra.Pricing.Live;

/// <summary>
/// The standard AWS credential chain (environment, web identity, shared config and credentials files with
/// profiles, SSO, container, instance metadata), as the AWS SDK for .NET resolves it.
/// </summary>
internal static class AwsCredentialChain
{
    public static async Task<AwsCredentials> ResolveAsync(CancellationToken cancel)
    {
        try
        {
            // The whole lookup runs inside the deadline: the chain may walk profiles, SSO and metadata endpoints.
            var resolved = await Task.Run(async () =>
            {
                var credentials = Amazon.Runtime.Credentials.DefaultAWSCredentialsIdentityResolver.GetCredentials();
                return await credentials.GetCredentialsAsync();
            }, cancel).WaitAsync(cancel);
            return new AwsCredentials(resolved.AccessKey, resolved.SecretKey, resolved.UseToken ? resolved.Token : null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new PricingException($"no AWS credentials found (environment, profile, container or instance metadata): {e.Message}", e);
        }
    }
}
