using LlmCost.Infra.Naming;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components;

/// <summary>
/// Bedrock for this stack: the exact model ARNs the router may invoke, an application inference profile per
/// (app, route) where an app asks for one (its usage then shows up by app in Cost Explorer), Model invocation
/// logging is the account stack's (one setting per account and region).
/// </summary>
internal sealed class BedrockAccess : Component, IRouterBackend, ICostsMoney
{
    /// <summary>Each Bedrock route's tokens at its price, and what the fleet cannot serve at its maximum at its fallback's price.</summary>
    public static IEnumerable<CostLine> MonthlyCost(CostMonth month)
    {
        var settings = month.Settings;
        var bedrock = settings.Routes.Where(r => r.IsBedrock).Sum(r => month.TokenCost(r.Name, month.RouteRequests(r.Name)));
        if (month.Instance is not null && month.Fleet is { } fleet)
        {
            foreach (var route in settings.Routes.Where(r => !r.IsBedrock))
            {
                if (month.BedrockFallback(route) is { } fallback)
                {
                    bedrock += fleet.OverflowShare * month.TokenCost(fallback, month.RouteRequests(route.Name));
                }
            }
        }

        var coldStart = month.ColdStart;
        bedrock += coldStart?.FallbackUsdPerMonth ?? 0m;
        yield return new(CostLineKind.Bedrock, Math.Round(bedrock, 2), "requests per route x tokens x each route's price per 1M tokens; the fleet's overflow at its fallback's"
            + (coldStart is null ? "" : ", and its requests while it starts from zero"));
    }

    private readonly List<AppProfile> _profiles = [];
    private readonly IReadOnlyList<RouteSettings> _routes;

    public BedrockAccess(Component parent, BedrockAccessArgs args) : base(parent, "bedrock")
    {
        _routes = args.Routes.Where(r => r.IsBedrock).ToList();
        foreach (var app in args.Apps.Where(a => a.InferenceProfiles))
        {
            foreach (var route in _routes)
            {
                // Fixed names: a replacement must delete the old profile first, or the new one collides on its name.
                var profile = Add($"profile-{app.Name}-{route.Name}", "aws:bedrock/inferenceProfile:InferenceProfile", Map(
                        ("name", AwsNames.InferenceProfileName.Join("-", Context.NamePrefix, app.Name, route.Name)),
                        ("description", AwsNames.InferenceProfileDescription.Join(" ", "llm-cost", Context.Settings.Stack, "app", app.Name, "route", route.Name)),
                        ("modelSource", Map(("copyFrom", SourceArn(route)))),
                        ("tags", Map(("llm-cost:app", app.Name), ("llm-cost:route", route.Name)))),
                    new ResourceOptions { DeleteBeforeReplace = true });
                _profiles.Add(new AppProfile(app.Name, route.Name, profile));
            }
        }
    }

    public IReadOnlyList<AppProfile> Profiles => _profiles;

    public IReadOnlyList<Value> RouterStatements => InvokeStatements();

    public IReadOnlyList<AppRouteHandle> AppHandles => _profiles.Select(p => new AppRouteHandle(p.App, p.Route, p.Profile, "arn")).ToList();

    public RouterNetworkNeeds Network => RouterNetworkNeeds.None;

    public string? InvokeId(RouteSettings route) => route.IsBedrock ? route.InvokeModelId : null;

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
    /// is limited by condition to requests made through this stack's profiles. Converse needs
    /// <c>bedrock:InvokeModel</c>, ConverseStream (the router's <c>stream: true</c> path)
    /// <c>bedrock:InvokeModelWithResponseStream</c>, on the same resources.
    /// </summary>
    public IReadOnlyList<Value> InvokeStatements()
    {
        var bedrockRoutes = _routes;
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
        var statements = new List<Value> { Allow("InvokeConfiguredModels", InvokeActions, Distinct(direct)) };

        // In-region app profiles over in-region models are covered above; profiles that fan out across regions need the models everywhere.
        var crossRegion = bedrockRoutes.Where(r => r.CrossRegion is not null).ToList();
        if (crossRegion.Count > 0)
        {
            var viaProfiles = crossRegion.Select(SystemProfileArn)
                .Concat(_profiles.Where(p => crossRegion.Any(r => r.Name == p.Route)).Select(p => (Value)Ref(p.Profile.Name, "arn")));
            statements.Add(Allow(
                "InvokeModelsThroughCrossRegionProfiles",
                InvokeActions,
                Distinct(crossRegion.Select(r => FoundationModelArn(r.Model, "*"))),
                Map(("StringEquals", Map(("bedrock:InferenceProfileArn", List(Distinct(viaProfiles))))))));
        }

        return statements;
    }

    /// <summary>Converse and ConverseStream: what the router calls, nothing else.</summary>
    private static readonly string[] InvokeActions = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"];

    private static IEnumerable<Value> Distinct(IEnumerable<Value> values) =>
        values.DistinctBy(ProgramWriter.WriteValue);
}

/// <summary>An application inference profile: app <paramref name="App"/>'s own handle on route <paramref name="Route"/>.</summary>
internal sealed record AppProfile(string App, string Route, ReferenceValue Profile);

/// <param name="Routes">The stack's routes; only Bedrock ones are this component's.</param>
/// <param name="Apps">Apps with <c>inferenceProfiles</c> get one application inference profile per Bedrock route.</param>
internal sealed record BedrockAccessArgs(IReadOnlyList<RouteSettings> Routes, IReadOnlyList<AppSettings> Apps);
