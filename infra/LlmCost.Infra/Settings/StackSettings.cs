using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Settings;

/// <summary>An environment stack's settings, typed and validated. Built only by <see cref="StackSettingsReader"/>.</summary>
/// <param name="AccountStack">The account stack (same project) that owns this account and region's singletons; deployed first.</param>
internal sealed record StackSettings(
    string Stack,
    string Source,
    string Region,
    string AccountStack,
    RouterSettings Router,
    GatewaySettings Gateway,
    IReadOnlyList<RouteSettings> Routes,
    AutoRoutingSettings AutoRouting,
    IReadOnlyList<AppSettings> Apps,
    FleetSettings? Fleet,
    IReadOnlyDictionary<string, string> Tags,
    PricingSettings Pricing,
    DemandSettings Demand,
    AlertSettings Alerts,
    AnalyticsSettings Analytics)
{
    public RouteSettings Route(string name) => Routes.First(r => r.Name == name);
}
