namespace LlmCost.Infra.Stack;

/// <summary>
/// What this version of the program can deploy, in one place: a fleet is configured, sized and priced, but its
/// resources come with the fleet issue. Until then a fleet route is served by its Bedrock fallback, and no
/// commitment to fleet instances is recommended (instances that never run save nothing).
/// </summary>
internal static class ProgramCapabilities
{
    public const bool DeploysFleet = false;

    public const string NoFleetYet = "this version of llm-cost deploys no fleet yet (its routes are served by their Bedrock fallback): a commitment to instances that do not run saves nothing";
}
