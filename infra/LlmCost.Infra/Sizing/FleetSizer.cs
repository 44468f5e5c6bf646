using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Sizing;

/// <summary>The fleet for a demand: instances each hour of the profile, the scaling bounds, and what it serves.</summary>
/// <param name="HourWeights">The share of each hour the profile stands for (1 but at a history's edges).</param>
/// <param name="AverageInstances">Instances in service on average over the covered time.</param>
/// <param name="TokensPerHourServed">Fleet tokens served per hour on average, all instances together.</param>
/// <param name="AverageUtilisation">Served tokens over the instances' full capacity (not the target).</param>
/// <param name="OverflowShare">Fraction of fleet-routed tokens beyond the instances' full capacity: they fall back to Bedrock.</param>
internal sealed record FleetPlan(
    int MinInstances,
    int MaxInstances,
    int SizedMinInstances,
    int SizedMaxInstances,
    IReadOnlyList<int> InstancesByHour,
    IReadOnlyList<decimal> HourWeights,
    decimal AverageInstances,
    decimal InstanceHoursPerMonth,
    decimal TokensPerHourServed,
    decimal AverageUtilisation,
    decimal OverflowShare);

/// <summary>
/// instances = ceil(demand tokens/s / (tokens/s per instance x target utilisation)), hour by hour. The target is
/// headroom for scaling; what an hour's instances cannot serve is measured against their full capacity.
/// </summary>
internal static class FleetSizer
{
    /// <summary>Edge hours covering less than this share of the hour are too short to size the fleet's bounds from.</summary>
    private const decimal MinWeightForBounds = 0.25m;

    public static FleetPlan Size(DemandProfile demand, decimal fleetShare, FleetSettings fleet)
    {
        var hours = demand.RequestsPerSecondByHour.Count;
        var weights = Enumerable.Range(0, hours).Select(demand.Weight).ToList();
        var capacityPerInstance = fleet.TokensPerSecondPerInstance * fleet.TargetUtilisation;
        var wanted = Enumerable.Range(0, hours)
            .Select(h => demand.TokensPerSecond(h) * fleetShare)
            .Select(tokensPerSecond => tokensPerSecond <= 0 ? 0 : (int)Math.Ceiling(tokensPerSecond / capacityPerInstance))
            .ToList();

        // A few minutes at a history's edge are too noisy to set a bound from (three requests in ten seconds look like a peak).
        var boundHours = Enumerable.Range(0, hours).Where(h => weights[h] >= MinWeightForBounds).Select(h => wanted[h]).ToList();
        if (boundHours.Count == 0)
        {
            boundHours = wanted;
        }

        // A real-time endpoint keeps at least one instance while any traffic is routed to it.
        var sizedMin = fleetShare > 0 ? Math.Max(1, boundHours.DefaultIfEmpty(0).Min()) : 0;
        var sizedMax = Math.Max(sizedMin, boundHours.DefaultIfEmpty(0).Max());
        // Configured bounds win over sized ones; a configured maximum also caps the sized minimum. A configured
        // baseline of 0 (a fleet on ECS that scales to zero) makes the minimum 0: hours without demand get no
        // instance, hours with demand still get at least one (wanted is at least 1 there, and so is max).
        var max = fleet.MaxInstances ?? Math.Max(fleet.BaselineInstances ?? sizedMin, sizedMax);
        var min = fleet.BaselineInstances ?? Math.Min(sizedMin, max);

        var instances = wanted.Select(n => Math.Clamp(n, min, max)).ToList();
        decimal served = 0, demanded = 0, capacity = 0, instanceHours = 0;
        for (var h = 0; h < hours; h++)
        {
            var tokensPerSecond = demand.TokensPerSecond(h) * fleetShare * weights[h];
            var fullCapacity = instances[h] * fleet.TokensPerSecondPerInstance * weights[h];
            demanded += tokensPerSecond;
            served += Math.Min(tokensPerSecond, fullCapacity);
            capacity += fullCapacity;
            instanceHours += instances[h] * weights[h];
        }

        var coveredHours = weights.Sum();
        return new FleetPlan(
            MinInstances: min,
            MaxInstances: max,
            SizedMinInstances: sizedMin,
            SizedMaxInstances: sizedMax,
            InstancesByHour: instances,
            HourWeights: weights,
            AverageInstances: coveredHours == 0 ? 0 : instanceHours / coveredHours,
            InstanceHoursPerMonth: instanceHours * demand.MonthsPerProfile,
            TokensPerHourServed: coveredHours == 0 ? 0 : served * 3600m / coveredHours,
            AverageUtilisation: capacity == 0 ? 0 : served / capacity,
            OverflowShare: demanded == 0 ? 0 : (demanded - served) / demanded);
    }
}
