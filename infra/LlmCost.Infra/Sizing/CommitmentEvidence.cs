namespace LlmCost.Infra.Sizing;

/// <summary>The commitments the demand's evidence can support, longest and most prepaid last.</summary>
internal enum CommitmentReach
{
    /// <summary>Options are what-ifs: nothing is recommended.</summary>
    None,

    /// <summary>A 1-year No Upfront plan: nothing paid before the usage it is measured on shows up again.</summary>
    OneYearNoUpfront,

    /// <summary>Any 1-year plan, upfront included.</summary>
    OneYear,

    /// <summary>Any plan, 3-year included.</summary>
    Any,
}

/// <summary>
/// What the demand behind a plan can support, after Cost Explorer's lookback periods (7, 30, 60 days):
/// <list type="bullet">
/// <item>less than 7 days of history, or a gap over 72 hours (longer than a weekend), or a span more empty than
/// not: no recommendation. A week is the shortest history that shows a weekly pattern once.</item>
/// <item>7 days: a 1-year No Upfront plan; it costs nothing until the hours it covers come.</item>
/// <item>30 days: upfront 1-year plans too; money paid upfront is sunk, so the level should have held a month.</item>
/// <item>60 days: 3-year plans too; three years is the longest bet, backed by Cost Explorer's longest lookback.</item>
/// <item>no history (demand from config): an assumption, not an observation, so at most a 1-year No Upfront plan,
/// labelled as resting on the assumption.</item>
/// </list>
/// </summary>
internal sealed record CommitmentEvidence(CommitmentReach Reach, string Basis, string? Missing)
{
    public const int WeekDays = 7;
    public const int UpfrontDays = 30;
    public const int ThreeYearDays = 60;
    public const int LargeGapHours = 72;

    public bool CanRecommend => Reach != CommitmentReach.None;

    public bool Allows(SavingsPlanOption option) => Reach switch
    {
        CommitmentReach.OneYearNoUpfront => option.TermYears == 1 && option.PaymentOption == "No Upfront",
        CommitmentReach.OneYear => option.TermYears == 1,
        CommitmentReach.Any => true,
        _ => false,
    };

    /// <summary>Why an option is not allowed, in a few words (null when it is).</summary>
    public string? Needs(SavingsPlanOption option) => Allows(option) ? null
        : Reach == CommitmentReach.None ? "what-if"
        : option.TermYears > 1 ? $"needs {ThreeYearDays} days"
        : $"needs {UpfrontDays} days";

    /// <summary>
    /// What the demand supports, unless the fleet's throughput is in doubt (<paramref name="throughputDoubt"/>: a
    /// configured figure far above the published benchmark, see <see cref="FleetThroughputEvidence"/>): every fleet
    /// option's cost rests on it, so then nothing is recommended until it is measured.
    /// </summary>
    public static CommitmentEvidence For(DemandProfile demand, string? throughputDoubt)
    {
        var byDemand = For(demand);
        return throughputDoubt is null ? byDemand
            : new CommitmentEvidence(CommitmentReach.None, byDemand.Basis,
                $"what-ifs only: every fleet option rests on llm-cost:fleet.{Settings.FleetThroughput.Key}, which the published benchmark contradicts (see the warning); "
                + $"load-test the fleet and set the measured figure with llm-cost:fleet.{Settings.FleetThroughput.EvidenceKey} saying how it was measured");
    }

    public static CommitmentEvidence For(DemandProfile demand)
    {
        if (demand.History is not { } history)
        {
            return new CommitmentEvidence(CommitmentReach.OneYearNoUpfront, "assumed demand from the stack's config (no history)",
                $"upfront and 3-year plans need an observed history of {UpfrontDays} and {ThreeYearDays} days (--usage)");
        }

        var days = history.CoveredDays;
        var covered = days < 2 ? $"{history.CoveredHours:0.##} hours of history" : $"{days:0.#} days of history";
        if (days < WeekDays)
        {
            return new CommitmentEvidence(CommitmentReach.None, covered,
                $"what-ifs only: a recommendation needs at least {WeekDays} days of history (a weekly pattern)");
        }

        if (history.LongestGapHours > LargeGapHours || history.EmptyHours * 2 > history.HoursInSpan)
        {
            return new CommitmentEvidence(CommitmentReach.None, covered,
                $"what-ifs only: the history has {history.EmptyHours} hours without requests, the longest {history.LongestGapHours} from {history.LongestGapStart:yyyy-MM-dd HH:00} UTC; a recommendation needs no gap over {LargeGapHours} hours and a span mostly with data");
        }

        return days switch
        {
            < UpfrontDays => new CommitmentEvidence(CommitmentReach.OneYearNoUpfront, covered, $"upfront and 3-year plans need {UpfrontDays} and {ThreeYearDays} days of history"),
            < ThreeYearDays => new CommitmentEvidence(CommitmentReach.OneYear, covered, $"3-year plans need {ThreeYearDays} days of history"),
            _ => new CommitmentEvidence(CommitmentReach.Any, covered, null),
        };
    }
}
