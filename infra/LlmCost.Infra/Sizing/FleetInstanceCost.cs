namespace LlmCost.Infra.Sizing;

/// <summary>What either fleet platform's instances cost in a month: the instance-hours and the volumes they run with.</summary>
internal static class FleetInstanceCost
{
    /// <summary>
    /// Instance-hours at the hourly rate over the demand profile, net of the recommended Savings Plan (the commitment
    /// bought for P50 is paid whatever the month's demand), plus each running instance's volume per GB-month, which is
    /// the same whichever commitment, so the whole decision (commitments against Bedrock) leaves it out.
    /// </summary>
    public static decimal Monthly(CostMonth month, decimal volumePricePerGbMonth)
    {
        if (month.Instance is not { } instance || month.Fleet is not { } fleet)
        {
            return 0m;
        }

        var usage = fleet.InstancesByHour.Select(n => n * instance.Hourly).ToList();
        var overProfile = month.Commitment is not { } plan
            ? month.Demand.WeightedSum(usage)
            : SavingsPlanOptimizer.Cost(usage, 1m - (plan.Rate / instance.Hourly), plan.HourlyCommitment, fleet.HourWeights);
        var cost = overProfile * month.Demand.MonthsPerProfile;
        if (month.Settings.Fleet?.Serving is { } serving)
        {
            cost += fleet.InstanceHoursPerMonth / DemandProfile.HoursPerMonth * serving.VolumeSizeGb * volumePricePerGbMonth;
        }

        return cost;
    }
}
