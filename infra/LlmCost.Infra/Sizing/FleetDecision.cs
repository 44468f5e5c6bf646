namespace LlmCost.Infra.Sizing;

/// <summary>One whole way to serve the fleet routes' traffic, and its monthly cost (overflow on Bedrock included).</summary>
/// <param name="Allowed">Whether the evidence lets it be recommended (commitments beyond the evidence are what-ifs).</param>
internal sealed record WholeOption(string Name, decimal MonthlyUsd, SavingsPlanOption? Plan, bool Allowed, string? Needs)
{
    public const string AllOnBedrock = "all on Bedrock";
    public const string FleetOnDemand = "fleet on demand";

    public bool IsBedrock => Name == AllOnBedrock;
}

/// <summary>
/// The decision a FinOps lead acts on, for the fleet routes together (they share one fleet): (a) all their traffic on
/// their Bedrock fallbacks, (b) the fleet on demand, (c) the fleet with each commitment option. The recommendation
/// is the cheapest allowed option; with too little evidence there is none, and the options are what-ifs.
/// </summary>
/// <param name="Contradiction">Set when the stack's configuration goes against the recommendation (or, without one, against the cheapest what-if).</param>
internal sealed record FleetDecision(
    IReadOnlyList<string> FleetRoutes,
    IReadOnlyList<string> BedrockRoutes,
    IReadOnlyList<WholeOption> Options,
    WholeOption? Recommended,
    WholeOption CheapestFleetOption,
    string? Contradiction)
{
    public WholeOption? Bedrock => Options.FirstOrDefault(o => o.IsBedrock);

    public static FleetDecision Decide(
        IReadOnlyList<string> fleetRoutes, IReadOnlyList<string> bedrockRoutes, decimal? allOnBedrockUsd, decimal overflowUsd,
        SavingsPlanAdvice advice, CommitmentEvidence evidence, decimal fleetShare)
    {
        var options = new List<WholeOption>();
        if (allOnBedrockUsd is { } bedrock)
        {
            options.Add(new WholeOption(WholeOption.AllOnBedrock, Math.Round(bedrock, 2), null, Allowed: true, null));
        }

        options.Add(new WholeOption(WholeOption.FleetOnDemand, Math.Round(advice.OnDemandMonthlyUsd + overflowUsd, 2), null, Allowed: true, null));
        options.AddRange(advice.Options.Select(o => new WholeOption(
            $"fleet + {o.PlanType} {o.TermYears}yr {o.PaymentOption}", Math.Round(o.MonthlyCostUsd + overflowUsd, 2), o, evidence.Allows(o), evidence.Needs(o))));

        // Ties go to the earlier option: Bedrock before the fleet, no commitment before one, shorter and less upfront first.
        var cheapestAllowed = options.Where(o => o.Allowed).MinBy(o => o.MonthlyUsd)!;
        var cheapestFleet = options.Where(o => o.Allowed && !o.IsBedrock).MinBy(o => o.MonthlyUsd)!;
        var recommended = evidence.CanRecommend ? cheapestAllowed : null;

        string? contradiction = null;
        if (fleetShare > 0 && cheapestAllowed.IsBedrock)
        {
            var routes = string.Join(", ", fleetRoutes);
            contradiction = recommended is not null
                ? $"the stack sends {fleetShare:P0} of requests ({routes}) to the fleet, but all on Bedrock ({string.Join(", ", bedrockRoutes)}) costs {cheapestAllowed.MonthlyUsd:N2} USD/month against {cheapestFleet.MonthlyUsd:N2} for the best fleet option ({cheapestFleet.Name})"
                : $"on the evidence so far all on Bedrock ({string.Join(", ", bedrockRoutes)}) would cost {cheapestAllowed.MonthlyUsd:N2} USD/month against {cheapestFleet.MonthlyUsd:N2} for the fleet ({cheapestFleet.Name}); not yet a recommendation";
        }

        return new FleetDecision(fleetRoutes, bedrockRoutes, options, recommended, cheapestFleet, contradiction);
    }
}
