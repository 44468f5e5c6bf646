using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Settings;

/// <summary>The API Gateway REST API in front of the router.</summary>
/// <param name="AuthDomainPrefix">Cognito hosted domain prefix for the OAuth token endpoint; globally unique.</param>
/// <param name="ThrottleRatePerSecond">Steady requests per second across the stage (default 10).</param>
/// <param name="ThrottleBurst">Burst bucket (default 2 x the rate).</param>
/// <param name="MaxMessages">Most messages a request may carry; larger requests are rejected by the gateway before the Lambda runs (default 64).</param>
/// <param name="MaxMessageChars">Longest message text, in characters (default 100000).</param>
/// <param name="AccessLogRetentionDays">Default 30 days.</param>
/// <param name="TokenValidityMinutes">Lifetime of an app's access token (default 60).</param>
internal sealed record GatewaySettings(
    string AuthDomainPrefix,
    int ThrottleRatePerSecond,
    int ThrottleBurst,
    int MaxMessages,
    int MaxMessageChars,
    int AccessLogRetentionDays,
    int TokenValidityMinutes)
{
    public const string Key = StackFileReader.ProjectNamespace + ":gateway";
    public const int DefaultThrottleRatePerSecond = 10;
    public const int DefaultBurstPerRate = 2;
    public const int DefaultMaxMessages = 64;
    public const int DefaultMaxMessageChars = 100_000;
    public const int DefaultAccessLogRetentionDays = 30;
    public const int DefaultTokenValidityMinutes = 60;

    public static string KeyOf(string field) => $"{Key}.{field}";
}

/// <summary>Reads <c>Gateway</c> settings; stops at the first bad key, naming it.</summary>
internal static class GatewaySettingsReader
{
    public static GatewaySettings Read(ConfigNode node, string stack)
    {
        var rate = node.Int("throttleRatePerSecond", GatewaySettings.DefaultThrottleRatePerSecond, 1, 10000);
        var settings = new GatewaySettings(
            AuthDomainPrefix: node.RequiredString("authDomainPrefix", "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
                "a Cognito domain prefix: lower-case letters, digits and hyphens, globally unique, e.g. acme-llm-cost-" + stack),
            ThrottleRatePerSecond: rate,
            ThrottleBurst: node.Int("throttleBurst", rate * GatewaySettings.DefaultBurstPerRate, 1, 5000),
            MaxMessages: node.Int("maxMessages", GatewaySettings.DefaultMaxMessages, 1, 2048),
            MaxMessageChars: node.Int("maxMessageChars", GatewaySettings.DefaultMaxMessageChars, 1, 4_000_000),
            AccessLogRetentionDays: StackSettingsReader.Retention(node, "accessLogRetentionDays", GatewaySettings.DefaultAccessLogRetentionDays),
            TokenValidityMinutes: node.Int("tokenValidityMinutes", GatewaySettings.DefaultTokenValidityMinutes, 5, 1440));
        if (node.Has("manageAccountLogRole"))
        {
            throw node.Error("manageAccountLogRole", "API Gateway's CloudWatch role is one setting per account and region: "
                + "the account stack owns it (llm-cost:kind: account); name that stack in llm-cost:accountStack instead, see README \"Deploy\"");
        }

        foreach (var reserved in new[] { "aws", "amazon", "cognito" })
        {
            if (settings.AuthDomainPrefix.Contains(reserved, StringComparison.Ordinal))
            {
                throw node.Error("authDomainPrefix", $"must not contain \"{reserved}\" (Cognito rejects it), got \"{settings.AuthDomainPrefix}\"");
            }
        }

        node.RejectUnknown();
        return settings;
    }
}
