using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Sizing;

/// <summary>The fleet for a demand: instances each hour of the profile, the scaling bounds, and what it serves.</summary>
/// <param name="OverflowShare">Fraction of fleet-routed tokens beyond the maximum's capacity: they fall back to Bedrock.</param>
public sealed record FleetPlan(
    int MinInstances,
    int MaxInstances,
    int SizedMinInstances,
    int SizedMaxInstances,
    IReadOnlyList<int> InstancesByHour,
    decimal InstanceHoursPerMonth,
    decimal TokensPerHourServed,
    decimal AverageUtilisation,
    decimal OverflowShare);

/// <summary>instances = ceil(demand tokens/s / (tokens/s per instance x target utilisation)), hour by hour.</summary>
public static class FleetSizer
{
    public static FleetPlan Size(DemandProfile demand, decimal fleetShare, FleetSettings fleet)
    {
        var capacityPerInstance = fleet.TokensPerSecondPerInstance * fleet.TargetUtilisation;
        var wanted = demand.RequestsPerSecondByHour
            .Select(rps => rps * fleetShare * demand.TokensPerRequest)
            .Select(tokensPerSecond => tokensPerSecond <= 0 ? 0 : (int)Math.Ceiling(tokensPerSecond / capacityPerInstance))
            .ToList();

        // A real-time endpoint keeps at least one instance while any traffic is routed to it.
        var sizedMin = fleetShare > 0 ? Math.Max(1, wanted.Min()) : 0;
        var sizedMax = Math.Max(sizedMin, wanted.Max());
        // Configured bounds win over sized ones; a configured maximum also caps the sized minimum.
        var max = fleet.MaxInstances ?? Math.Max(fleet.BaselineInstances ?? sizedMin, sizedMax);
        var min = fleet.BaselineInstances ?? Math.Min(sizedMin, max);

        var instances = wanted.Select(n => Math.Clamp(n, min, max)).ToList();
        decimal served = 0, demanded = 0, capacity = 0;
        for (var h = 0; h < instances.Count; h++)
        {
            var tokensPerSecond = demand.RequestsPerSecondByHour[h] * fleetShare * demand.TokensPerRequest;
            demanded += tokensPerSecond;
            served += Math.Min(tokensPerSecond, instances[h] * capacityPerInstance);
            capacity += instances[h] * fleet.TokensPerSecondPerInstance;
        }

        return new FleetPlan(
            MinInstances: min,
            MaxInstances: max,
            SizedMinInstances: sizedMin,
            SizedMaxInstances: sizedMax,
            InstancesByHour: instances,
            InstanceHoursPerMonth: instances.Sum() * demand.MonthsPerProfile,
            TokensPerHourServed: instances.Count == 0 ? 0 : served * 3600m / instances.Count,
            AverageUtilisation: capacity == 0 ? 0 : served / capacity,
            OverflowShare: demanded == 0 ? 0 : (demanded - served) / demanded);
    }
}
