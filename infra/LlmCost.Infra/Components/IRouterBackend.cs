using LlmCost.Infra.Synthesis;

namespace LlmCost.Infra.Components;

/// <summary>
/// Something the router calls (Bedrock access, the fleet): what it contributes to the router function and its
/// configuration, which compose them and know none of them by name.
/// </summary>
internal interface IRouterBackend : IRouterGrant
{
    /// <summary>Deploy-time handles per (app, route) that the router configuration carries (an app's inference profile ARN).</summary>
    IReadOnlyList<AppRouteHandle> AppHandles { get; }

    /// <summary>What the router needs on the network to reach this backend.</summary>
    RouterNetworkNeeds Network { get; }

    /// <summary>What the router sends for <paramref name="route"/> when this backend serves it (a Bedrock model or profile ID, the fleet's endpoint name); null when it does not.</summary>
    string? InvokeId(Settings.RouteSettings route);

    /// <summary>How the router reaches <paramref name="route"/> when this backend is a fleet that serves it; null otherwise.</summary>
    CostModel.FleetTransport? Transport(Settings.RouteSettings route) => null;
}

/// <summary>Something the router must be allowed to reach: a backend, or a store such as the budget table.</summary>
internal interface IRouterGrant
{
    /// <summary>IAM statements that let the router reach exactly this, nothing wider.</summary>
    IReadOnlyList<Value> RouterStatements { get; }
}

/// <summary>An app's own handle on a route, known only at deploy time.</summary>
internal sealed record AppRouteHandle(string App, string Route, ReferenceValue Resource, string Property);

/// <summary>Whether the router must run inside a VPC to reach a backend, and then in which subnets and security group.</summary>
/// <param name="SubnetIds">The private subnets the router's network interfaces go in (empty when it needs no VPC).</param>
/// <param name="SecurityGroup">The ID of the security group the backend admits the router by (null when it needs no VPC).</param>
internal sealed record RouterNetworkNeeds(bool NeedsVpc, IReadOnlyList<string> SubnetIds, ReferenceValue? SecurityGroup)
{
    /// <summary>A public AWS API, reached over the Lambda service network.</summary>
    public static RouterNetworkNeeds None { get; } = new(false, [], null);

    /// <summary>Inside a VPC: in <paramref name="subnetIds"/>, as a member of <paramref name="securityGroup"/>.</summary>
    public static RouterNetworkNeeds InVpc(IReadOnlyList<string> subnetIds, ReferenceValue securityGroup) => new(true, subnetIds, securityGroup);
}
