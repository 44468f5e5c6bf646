using LlmCost.CostModel;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;
using LlmCost.CostModel.Vocabulary;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Components;

/// <summary>
/// The cost-router Lambda: a Native AOT <c>bootstrap</c> on <c>provided.al2023</c>, its own log group with
/// retention, reserved concurrency as a hard cap on parallel spend, and a role that can invoke exactly the
/// configured models and fleet endpoint and write only its own logs.
/// </summary>
internal sealed class RouterFunction : Component, ICostsMoney
{
    /// <summary>Bytes logged per request: the router's usage record (with EMF) and the gateway's access log line.</summary>
    public const decimal LoggedBytesPerRequest = AnalyticsCost.RecordBytes + Gateway.AccessLogLineBytes;

    /// <summary>The function's requests and GB-seconds, and what it and the gateway log.</summary>
    public static IEnumerable<CostLine> MonthlyCost(CostMonth month)
    {
        var router = month.Settings.Router;
        var gbSeconds = month.Requests * (router.MemoryMb / 1024m) * month.Settings.Demand.MeanLatencySeconds;
        var lambda = (month.Requests / 1_000_000m * month.Service(ServicePrices.LambdaPerMillionRequests))
            + (gbSeconds * month.Service(router.Architecture == LambdaArchitecture.Arm64 ? ServicePrices.LambdaArmPerGbSecond : ServicePrices.LambdaX86PerGbSecond));
        yield return new(CostLineKind.Lambda, Math.Round(lambda, 2), "requests x the price per 1M requests, plus GB-seconds (memory x mean latency) x the price per GB-second");

        var logs = month.Requests * LoggedBytesPerRequest / 1_000_000_000m * month.Service(ServicePrices.LogsIngestionPerGb);
        yield return new(CostLineKind.Logs, Math.Round(logs, 2), $"requests x {LoggedBytesPerRequest} bytes logged x the ingestion price per GB");
    }

    public RouterFunction(Component parent, RouterFunctionArgs args) : base(parent, "router")
    {
        var context = Context;
        var settings = context.Settings;
        var router = args.Router;
        var configuration = args.Configuration;

        var logs = LogGroup("logs", $"/llm-cost/{settings.Stack}/router", router.LogRetentionDays);

        var role = Add("role", "aws:iam/role:Role", Map(
            ("description", $"llm-cost {settings.Stack} router: invoke the configured models, write its own logs"),
            ("assumeRolePolicy", ToJson(AssumedBy("lambda.amazonaws.com", Map(
                ("StringEquals", Map(("aws:SourceAccount", context.AccountId)))))))));

        var statements = new List<Value>
        {
            Allow("WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [Interpolate(Ref(logs.Name, "arn"), ":*")]),
        };
        // Each backend grants exactly what reaching it takes.
        statements.AddRange(args.Backends.SelectMany(b => b.RouterStatements));
        statements.AddRange(args.Grants.SelectMany(g => g.RouterStatements));
        var network = VpcNeeds(args.Backends);
        if (network is not null)
        {
            // What AWSLambdaVPCAccessExecutionRole grants besides logs: Lambda manages the function's network
            // interfaces with the role's permissions, and these actions take no narrower resource.
            statements.Add(Allow("ManageVpcNetworkInterfaces", VpcNetworkInterfaceActions, ["*"]));
        }

        var policy = Add("policy", "aws:iam/rolePolicy:RolePolicy", Map(
            ("role", Ref(role.Name, "id")),
            ("policy", ToJson(Policy([.. statements])))));

        var functionName = PhysicalName(settings.Stack);
        var function = Add("function", "aws:lambda/function:Function", Map(
                ("name", functionName),
                ("description", $"llm-cost {settings.Stack}: counts, prices, routes and records every LLM request"),
                ("role", Ref(role.Name, "arn")),
                ("runtime", "provided.al2023"),
                ("handler", "bootstrap"),
                ("architectures", Strings([router.Architecture.Name()])),
                ("code", FileArchive(BundleLocator.RouterPath(router.Architecture))),
                ("memorySize", router.MemoryMb),
                ("timeout", router.TimeoutSeconds),
                ("reservedConcurrentExecutions", router.ReservedConcurrency is { } reserved ? (Value)reserved : null),
                ("loggingConfig", Map(("logFormat", "Text"), ("logGroup", Ref(logs.Name, "name")))),
                ("vpcConfig", network is null ? null : Map(
                    ("subnetIds", Strings(network.SubnetIds)),
                    ("securityGroupIds", List(network.SecurityGroup!)))),
                ("environment", Map(("variables", Map(
                    (RouterConfiguration.EnvironmentVariable, RouterConfigurationBuilder.ToProgramValue(configuration, settings.Source)),
                    // The gateway's integrations stream: every answer goes out in InvokeWithResponseStream's format.
                    (ApiSurface.ResponseStreamingVariable, StreamingOn)))))),
            new ResourceOptions { DependsOn = [policy.Name, logs.Name] });
        Outputs = new RouterFunctionOutputs(function, functionName, $"/llm-cost/{settings.Stack}/router", logs);
        if (router.ReservedConcurrency is { } cap && !context.Costs.ConcurrencyChecked)
        {
            context.Notes.Add($"the router reserves {cap} concurrent executions: Lambda accepts that only if the account's concurrency limit leaves at least its unreserved minimum "
                + $"(100 at the default limit of 1,000) after all reservations, i.e. a limit of at least {cap + 100} for this stack alone; new accounts often have 10. "
                + "Check with `aws lambda get-account-settings` (AccountLimit.UnreservedConcurrentExecutions) and request an increase, or set llm-cost:router.reservedConcurrency: none");
        }
    }

    /// <summary>The value of <see cref="ApiSurface.ResponseStreamingVariable"/> that turns streaming on.</summary>
    public const string StreamingOn = "1";

    /// <summary>The network-interface actions of AWS's AWSLambdaVPCAccessExecutionRole managed policy.</summary>
    public static readonly string[] VpcNetworkInterfaceActions =
    [
        "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
    ];

    /// <summary>The one VPC placement the backends ask for, or null when none needs a VPC.</summary>
    private static RouterNetworkNeeds? VpcNeeds(IReadOnlyList<IRouterBackend> backends)
    {
        var needs = backends.Select(b => b.Network).Where(n => n.NeedsVpc).ToList();
        if (needs.Select(n => (string.Join(",", n.SubnetIds), n.SecurityGroup?.Expression)).Distinct().Count() > 1)
        {
            throw new SynthesisException("router: backends ask for different VPC placements; a function has one");
        }

        return needs.FirstOrDefault();
    }

    /// <summary>The function's name in AWS: fixed, so plan-time checks can ask about it before it exists.</summary>
    public static string PhysicalName(string stack) => Naming.AwsNames.LambdaFunctionName.Join("-", $"llm-cost-{stack}", "router");

    public RouterFunctionOutputs Outputs { get; }
}

/// <param name="Configuration">The router's configuration document (validated), carried in its environment.</param>
/// <param name="Backends">What the router calls; each contributes its IAM statements and network needs.</param>
/// <param name="Grants">Other things the router reaches (the budget table), each granting exactly that.</param>
internal sealed record RouterFunctionArgs(Settings.RouterSettings Router, RouterConfiguration Configuration, IReadOnlyList<IRouterBackend> Backends, IReadOnlyList<IRouterGrant> Grants);

/// <param name="Function">The function resource (<c>.responseStreamingInvokeArn</c> for the gateway, <c>.name</c> for permissions).</param>
/// <param name="LogGroup">The log group resource its usage records go to.</param>
internal sealed record RouterFunctionOutputs(ReferenceValue Function, string FunctionName, string LogGroupName, ReferenceValue LogGroup);
