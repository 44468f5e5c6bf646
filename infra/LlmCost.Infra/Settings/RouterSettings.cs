using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Settings;

/// <summary>The cost-router Lambda.</summary>
/// <param name="Architecture"><c>arm64</c> (default <see cref="DefaultArchitecture"/>: about 20% cheaper per GB-second) or <c>x86_64</c>.</param>
/// <param name="MemoryMb">Default 512: the router is I/O bound; more memory buys CPU for tokenizing long prompts.</param>
/// <param name="TimeoutSeconds">Default and maximum 899: the gateway's streamed integrations wait 900 s (15 minutes), a cold start's init included, so the router must answer (even with a 504) before that; shorter cuts streamed answers a client is still reading. An answer sent whole must still be ready within the stream's 5-minute idle timeout (the router holds it to that).</param>
/// <param name="ReservedConcurrency">Hard cap on parallel requests, and so on the spend rate (default 10; <c>none</c>: no reservation). Lambda refuses a reservation that leaves the account fewer unreserved executions than its minimum (100 at the default limit of 1,000; new accounts often have a limit of 10).</param>
/// <param name="LogRetentionDays">Default 30 days.</param>
/// <param name="LogPrompts">Default false: prompts and completions never reach the logs.</param>
/// <param name="BudgetStoreUnavailable">When the budget table cannot be reached: <c>refuse</c> (default: a 503, no spend goes unchecked) or <c>allow</c> (serve, and the record says the budget was not checked).</param>
internal sealed record RouterSettings(
    LambdaArchitecture Architecture,
    int MemoryMb,
    int TimeoutSeconds,
    int? ReservedConcurrency,
    int LogRetentionDays,
    bool LogPrompts,
    string BudgetStoreUnavailable)
{
    public const string Key = StackFileReader.ProjectNamespace + ":router";
    public const LambdaArchitecture DefaultArchitecture = LambdaArchitecture.Arm64;
    public const int DefaultMemoryMb = 512;
    public const int DefaultTimeoutSeconds = CostModel.ApiSurface.MaxRouterTimeoutSeconds;
    public const int DefaultReservedConcurrency = 10;
    public const int DefaultLogRetentionDays = 30;
    public const bool DefaultLogPrompts = false;
    public const string DefaultBudgetStoreUnavailable = CostModel.BudgetStoreConfiguration.Refuse;

    public static string KeyOf(string field) => $"{Key}.{field}";
}

/// <summary>Reads <c>Router</c> settings; stops at the first bad key, naming it.</summary>
internal static class RouterSettingsReader
{
    public static RouterSettings Read(ConfigNode node)
    {
        var settings = new RouterSettings(
            Architecture: node.OneOf("architecture", RouterSettings.DefaultArchitecture, LambdaArchitectures.Vocabulary),
            MemoryMb: node.Int("memoryMb", RouterSettings.DefaultMemoryMb, 128, 10240),
            TimeoutSeconds: node.Int("timeoutSeconds", RouterSettings.DefaultTimeoutSeconds, 1, CostModel.ApiSurface.MaxRouterTimeoutSeconds),
            ReservedConcurrency: node.Raw("reservedConcurrency") is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var text) && text == "none"
                ? null
                : node.Raw("reservedConcurrency") is System.Text.Json.Nodes.JsonValue s && s.TryGetValue<string>(out var word) && !int.TryParse(word, out _)
                    ? throw node.Error("reservedConcurrency", $"expected an integer from 1 to 1000, or none (no reservation), got \"{word}\"")
                    : node.Int("reservedConcurrency", RouterSettings.DefaultReservedConcurrency, 1, 1000),
            LogRetentionDays: StackSettingsReader.Retention(node, "logRetentionDays", RouterSettings.DefaultLogRetentionDays),
            LogPrompts: node.Bool("logPrompts", RouterSettings.DefaultLogPrompts),
            BudgetStoreUnavailable: node.OneOf("budgetStoreUnavailable", RouterSettings.DefaultBudgetStoreUnavailable, CostModel.BudgetStoreConfiguration.Refuse, CostModel.BudgetStoreConfiguration.Allow));
        node.RejectUnknown();
        return settings;
    }
}
