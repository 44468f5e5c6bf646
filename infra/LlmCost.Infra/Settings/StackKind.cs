namespace LlmCost.Infra.Settings;

/// <summary>
/// What a stack file deploys. An <c>environment</c> (the default) is the gateway, router and models for one
/// environment; an <c>account</c> stack owns what AWS allows once per account and region (API Gateway's
/// CloudWatch role, Bedrock model invocation logging), which environment stacks read through a stack reference.
/// </summary>
internal enum StackKind
{
    Environment,
    Account,
}

internal static class StackKinds
{
    public const string Key = StackFileReader.ProjectNamespace + ":kind";

    public static StackKind Of(StackConfig config) =>
        config.Values.GetValueOrDefault(Key) switch
        {
            null or "environment" => StackKind.Environment,
            "account" => StackKind.Account,
            var other => throw new ConfigError(config.Source, Key, $"expected environment (default) or account, got \"{other}\""),
        };
}
