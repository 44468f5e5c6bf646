namespace LlmCost.Infra.Sizing;

/// <summary>
/// What a fleet on ECS adds to the fleet line besides its instances and volumes: the internal application load
/// balancer (an hourly charge, plus load balancer capacity units) and, with <c>bedrockEndpoint: create</c>, the
/// <c>bedrock-runtime</c> interface endpoint (per Availability Zone-hour, plus per GB it carries). An estimate on the
/// month's average traffic:
/// <code>
/// LCU-hours = 730 x max(new connections/s / 25, GB/hour / 1)     (an LCU is 25 new connections a second or 1 GB an hour to IP targets)
/// endpoint  = 730 x subnets x per-AZ-hour + Bedrock GB x per-GB  (one subnet per Availability Zone)
/// </code>
/// Each request is taken as a new connection (an upper bound: a warm router reuses its connection) carrying
/// <see cref="BytesPerInputToken"/> per input token and, streamed as server-sent events, <see cref="BytesPerOutputToken"/>
/// per output token. Active connections and rule evaluations (one rule) never lead at these rates.
/// </summary>
internal static class EcsNetworkCost
{
    public const decimal BytesPerInputToken = 4m;

    /// <summary>A streamed chunk per token: <c>data: {...}</c> of about 200 bytes.</summary>
    public const decimal BytesPerOutputToken = 200m;

    public const decimal NewConnectionsPerLcu = 25m;

    public const decimal GbPerHourPerLcu = 1m;

    public static decimal BytesPerRequest(DemandProfile demand) =>
        (demand.InputTokensPerRequest * BytesPerInputToken) + (demand.OutputTokensPerRequest * BytesPerOutputToken);

    /// <param name="fleetRequests">Requests a month through the load balancer.</param>
    /// <param name="bedrockRequests">Requests a month to Bedrock (through the endpoint when there is one).</param>
    /// <param name="endpointAzs">Availability Zones of the interface endpoint; 0 when the stack makes none.</param>
    /// <param name="price">A service price by key (<see cref="Pricing.ServicePrices"/>); 0 when unknown.</param>
    public static decimal Monthly(DemandProfile demand, decimal fleetRequests, decimal bedrockRequests, int endpointAzs, Func<string, decimal> price)
    {
        var hours = DemandProfile.HoursPerMonth;
        var perSecond = fleetRequests / (hours * 3600m);
        var gbPerHour = fleetRequests * BytesPerRequest(demand) / 1_000_000_000m / hours;
        var lcuHours = hours * Math.Max(perSecond / NewConnectionsPerLcu, gbPerHour / GbPerHourPerLcu);
        var loadBalancer = (hours * price(Pricing.ServicePrices.AlbPerHour)) + (lcuHours * price(Pricing.ServicePrices.AlbPerLcuHour));

        var endpoint = endpointAzs == 0 ? 0m
            : (hours * endpointAzs * price(Pricing.ServicePrices.InterfaceEndpointPerAzHour))
              + (bedrockRequests * BytesPerRequest(demand) / 1_000_000_000m * price(Pricing.ServicePrices.InterfaceEndpointPerGb));
        return loadBalancer + endpoint;
    }
}
