using LlmCost.CostModel;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components;

/// <summary>
/// The cost-router Lambda: a Native AOT <c>bootstrap</c> on <c>provided.al2023</c>, its own log group with
/// retention, reserved concurrency as a hard cap on parallel spend, and a role that can invoke exactly the
/// configured models and fleet endpoint and write only its own logs.
/// </summary>
public sealed class RouterFunction : Component
{
    public RouterFunction(StackContext context, RouterConfiguration configuration, BedrockAccess bedrock) : base(context, "router")
    {
        var settings = context.Settings;
        var router = settings.Router;
        Configuration = configuration;

        var logs = LogGroup("logs", $"/llm-cost/{settings.Stack}/router", router.LogRetentionDays);

        var role = Add("role", "aws:iam/role:Role", Map(
            ("description", $"llm-cost {settings.Stack} router: invoke the configured models, write its own logs"),
            ("assumeRolePolicy", ToJson(AssumedBy("lambda.amazonaws.com", Map(
                ("StringEquals", Map(("aws:SourceAccount", context.AccountId)))))))));

        var statements = new List<Value>
        {
            Allow("WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [Interpolate(Ref(logs.Name, "arn"), ":*")]),
        };
        // No fleet is deployed by this version (see RouterConfigurationBuilder), so no fleet endpoint is granted.
        statements.AddRange(bedrock.InvokeStatements());

        var policy = Add("policy", "aws:iam/rolePolicy:RolePolicy", Map(
            ("role", Ref(role.Name, "id")),
            ("policy", ToJson(Policy([.. statements])))));

        FunctionName = PhysicalName(settings.Stack);
        Function = Add("function", "aws:lambda/function:Function", Map(
                ("name", FunctionName),
                ("description", $"llm-cost {settings.Stack}: counts, prices, routes and records every LLM request"),
                ("role", Ref(role.Name, "arn")),
                ("runtime", "provided.al2023"),
                ("handler", "bootstrap"),
                ("architectures", Strings([router.Architecture])),
                ("code", FileArchive(BundleLocator.RouterPath(router.Architecture))),
                ("memorySize", router.MemoryMb),
                ("timeout", router.TimeoutSeconds),
                ("reservedConcurrentExecutions", router.ReservedConcurrency is { } reserved ? (Value)reserved : null),
                ("loggingConfig", Map(("logFormat", "Text"), ("logGroup", Ref(logs.Name, "name")))),
                ("environment", Map(("variables", Map(
                    (RouterConfiguration.EnvironmentVariable, RouterConfigurationBuilder.ToProgramValue(configuration, settings.Source))))))),
            new ResourceOptions { DependsOn = [policy.Name, logs.Name] });
        LogGroupName = $"/llm-cost/{settings.Stack}/router";
        if (router.ReservedConcurrency is { } cap && !context.Costs.ConcurrencyChecked)
        {
            context.Notes.Add($"the router reserves {cap} concurrent executions: Lambda accepts that only if the account's concurrency limit leaves at least its unreserved minimum "
                + $"(100 at the default limit of 1,000) after all reservations, i.e. a limit of at least {cap + 100} for this stack alone; new accounts often have 10. "
                + "Check with `aws lambda get-account-settings` (AccountLimit.UnreservedConcurrentExecutions) and request an increase, or set llm-cost:router.reservedConcurrency: none");
        }
    }

    /// <summary>The function's name in AWS: fixed, so plan-time checks can ask about it before it exists.</summary>
    public static string PhysicalName(string stack) => Naming.AwsNames.LambdaFunctionName.Join("-", $"llm-cost-{stack}", "router");

    public RouterConfiguration Configuration { get; }

    public ReferenceValue Function { get; }

    public string FunctionName { get; }

    public string LogGroupName { get; }
}
