using LlmCost.Aws;

namespace LlmCost.Router.Backends;

/// <summary>
/// The function's role credentials, which Lambda puts in the environment (they win over every other source there).
/// Read per call: cheap, and a long-lived environment never holds a stale copy.
/// </summary>
internal static class EnvironmentCredentials
{
    public static AwsCredentials Read(Func<string, string?> environment)
    {
        var keyId = environment("AWS_ACCESS_KEY_ID");
        var secret = environment("AWS_SECRET_ACCESS_KEY");
        if (string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(secret))
        {
            throw new BackendException(FailureKind.NotConfigured, "no_credentials",
                "no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
        }

        var token = environment("AWS_SESSION_TOKEN");
        return new AwsCredentials(keyId, secret, string.IsNullOrEmpty(token) ? null : token);
    }
}
