using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components;

/// <summary>
/// Bedrock for this stack: the exact model ARNs the router may invoke, an application inference profile per
/// (app, route) where an app asks for one (its usage then shows up by app in Cost Explorer), and, where the stack
/// owns it, the region's model invocation logging (metadata only unless prompt text is asked for).
/// </summary>
public sealed class BedrockAccess : Component
{
    private readonly List<AppProfile> _profiles = [];

    public BedrockAccess(StackContext context) : base(context, "bedrock")
    {
        var settings = context.Settings;
        foreach (var app in settings.Apps.Where(a => a.InferenceProfiles))
        {
            foreach (var route in settings.Routes.Where(r => r.IsBedrock))
            {
                var profile = Add($"profile-{app.Name}-{route.Name}", "aws:bedrock/inferenceProfile:InferenceProfile", Map(
                    ("name", $"{context.NamePrefix}-{app.Name}-{route.Name}"),
                    ("description", $"llm-cost {settings.Stack}: app {app.Name}, route {route.Name}"),
                    ("modelSource", Map(("copyFrom", SourceArn(route)))),
                    ("tags", Map(("llm-cost:app", app.Name), ("llm-cost:route", route.Name)))));
                _profiles.Add(new AppProfile(app.Name, route.Name, profile));
            }
        }

        if (settings.Bedrock.InvocationLogging)
        {
            AddInvocationLogging(settings);
        }
    }

    public IReadOnlyList<AppProfile> Profiles => _profiles;

    /// <summary>What an app profile copies: the foundation model, or the cross-region system profile.</summary>
    public Value SourceArn(RouteSettings route) => route.CrossRegion is null
        ? FoundationModelArn(route.Model, Context.Region)
        : SystemProfileArn(route);

    public Value FoundationModelArn(string model, string region) =>
        Interpolate($"arn:{Context.Partition}:bedrock:{region}::foundation-model/{model}");

    public Value SystemProfileArn(RouteSettings route) =>
        Context.Arn("bedrock", $"inference-profile/{route.InvokeModelId}");

    /// <summary>
    /// The statements that let the router invoke exactly the configured routes. A cross-region profile sends a
    /// request to a region AWS picks within its geography, so AWS requires the model in every region; that grant
    /// is limited by condition to requests made through this stack's profiles.
    /// </summary>
    public IReadOnlyList<Value> InvokeStatements()
    {
        var bedrockRoutes = Context.Settings.Routes.Where(r => r.IsBedrock).ToList();
        if (bedrockRoutes.Count == 0)
        {
            return [];
        }

        var direct = new List<Value>();
        foreach (var route in bedrockRoutes)
        {
            direct.Add(route.CrossRegion is null ? FoundationModelArn(route.Model, Context.Region) : SystemProfileArn(route));
        }

        direct.AddRange(_profiles.Select(p => (Value)Ref(p.Profile.Name, "arn")));
        var statements = new List<Value> { Allow("InvokeConfiguredModels", ["bedrock:InvokeModel"], Distinct(direct)) };

        // In-region app profiles over in-region models are covered above; profiles that fan out across regions need the models everywhere.
        var crossRegion = bedrockRoutes.Where(r => r.CrossRegion is not null).ToList();
        if (crossRegion.Count > 0)
        {
            var viaProfiles = crossRegion.Select(SystemProfileArn)
                .Concat(_profiles.Where(p => crossRegion.Any(r => r.Name == p.Route)).Select(p => (Value)Ref(p.Profile.Name, "arn")));
            statements.Add(Allow(
                "InvokeModelsThroughCrossRegionProfiles",
                ["bedrock:InvokeModel"],
                Distinct(crossRegion.Select(r => FoundationModelArn(r.Model, "*"))),
                Map(("StringEquals", Map(("bedrock:InferenceProfileArn", List(Distinct(viaProfiles))))))));
        }

        return statements;
    }

    private static IEnumerable<Value> Distinct(IEnumerable<Value> values) =>
        values.DistinctBy(ProgramWriter.WriteValue);

    private void AddInvocationLogging(StackSettings settings)
    {
        var logs = LogGroup("invocation-logs", $"/llm-cost/{settings.Stack}/bedrock-invocations", settings.Bedrock.InvocationLogRetentionDays);
        var role = Add("logging-role", "aws:iam/role:Role", Map(
            ("description", "Lets Bedrock write this stack's model invocation logs"),
            ("assumeRolePolicy", ToJson(AssumedBy("bedrock.amazonaws.com", Map(
                ("StringEquals", Map(("aws:SourceAccount", Context.AccountId))),
                ("ArnLike", Map(("aws:SourceArn", Context.Arn("bedrock", "*"))))))))));
        var policy = Add("logging-policy", "aws:iam/rolePolicy:RolePolicy", Map(
            ("role", Ref(role.Name, "id")),
            ("policy", ToJson(Policy(Allow(
                "WriteInvocationLogs",
                ["logs:CreateLogStream", "logs:PutLogEvents"],
                [Interpolate(Ref(logs.Name, "arn"), ":log-stream:aws/bedrock/modelinvocations")]))))));
        Add("invocation-logging", "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration", Map(
                ("loggingConfig", Map(
                    ("cloudwatchConfig", Map(("logGroupName", Ref(logs.Name, "name")), ("roleArn", Ref(role.Name, "arn")))),
                    ("textDataDeliveryEnabled", settings.Bedrock.LogPromptText),
                    ("imageDataDeliveryEnabled", false),
                    ("embeddingDataDeliveryEnabled", false),
                    ("videoDataDeliveryEnabled", false)))),
            new ResourceOptions { DependsOn = [policy.Name] });
    }
}

/// <summary>An application inference profile: app <paramref name="App"/>'s own handle on route <paramref name="Route"/>.</summary>
public sealed record AppProfile(string App, string Route, ReferenceValue Profile);
