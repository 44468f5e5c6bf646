using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Account;

/// <summary>
/// An account stack's settings (<c>llm-cost:kind: account</c>): the singletons of one AWS account and region.
/// Deploy it once per account and region, before the environment stacks that name it in <c>llm-cost:accountStack</c>.
/// </summary>
/// <param name="ApiGatewayLogRole">Set the region's API Gateway CloudWatch Logs role (default true: every environment's stage writes access logs and needs it).</param>
/// <param name="BedrockInvocationLogging">Manage the region's Bedrock model invocation logging (default: absent, so the account's own setting stays).</param>
internal sealed record AccountSettings(
    string Stack,
    string Source,
    string Region,
    bool ApiGatewayLogRole,
    BedrockLoggingSettings? BedrockInvocationLogging,
    IReadOnlyDictionary<string, string> Tags);

/// <param name="LogPromptText">Include prompt and completion text (default false: metadata and token counts only).</param>
/// <param name="RetentionDays">Default 30 days.</param>
internal sealed record BedrockLoggingSettings(bool LogPromptText, int RetentionDays);

internal static class AccountSettingsReader
{
    private const string Ns = StackFileReader.ProjectNamespace;
    private static readonly string[] KnownKeys = ["kind", "apiGatewayLogRole", "bedrockInvocationLogging", "tags"];

    public static AccountSettings Read(StackConfig config)
    {
        var source = config.Source;
        foreach (var key in config.Values.Keys.Where(k => k.StartsWith(Ns + ":", StringComparison.Ordinal)))
        {
            if (!KnownKeys.Contains(key[(Ns.Length + 1)..], StringComparer.Ordinal))
            {
                throw new ConfigError(source, key, $"is not a setting of an account stack; known: {string.Join(", ", KnownKeys.Select(k => $"{Ns}:{k}"))}");
            }
        }

        var region = StackSettingsReader.ReadRegion(config);
        StackSettingsReader.CheckStackName(config);
        var logRole = config.Values.GetValueOrDefault($"{Ns}:apiGatewayLogRole") switch
        {
            null or "true" => true,
            "false" => false,
            var other => throw new ConfigError(source, $"{Ns}:apiGatewayLogRole", $"expected true or false, got \"{other}\""),
        };

        BedrockLoggingSettings? logging = null;
        if (config.Values.GetValueOrDefault($"{Ns}:bedrockInvocationLogging") is { } json)
        {
            var node = ConfigNode.Parse(source, $"{Ns}:bedrockInvocationLogging", json);
            logging = new BedrockLoggingSettings(node.Bool("logPromptText", false), StackSettingsReader.Retention(node, "retentionDays", 30));
            node.RejectUnknown();
        }

        return new AccountSettings(config.Stack, source, region, logRole, logging, StackSettingsReader.ReadTags(source, config.Values.GetValueOrDefault($"{Ns}:tags")));
    }
}
