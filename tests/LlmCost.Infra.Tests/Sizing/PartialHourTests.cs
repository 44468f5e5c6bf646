using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Tests.Sizing;

/// <summary>A history's edge hours count by the share of them it covers, in the fleet and in the Savings Plan.</summary>
public sealed class PartialHourTests
{
    [Fact]
    public void Optimise_WeightsMoveTheQuantile()
    {
        // Usage 2 in an hour covered a fifth, 4 in a whole hour; d = 0.5: the hours above x may weigh 0.6 of 1.2.
        // At x = 2 the whole hour (1.0) is above, so x = 4 and the commitment 4 x 0.5 = 2.000.
        // Cost: 0.2 x 2 + 1 x 2 = 2.4 (2.001 would cost 2.4012); on demand 0.2 x 2 + 1 x 4 = 4.4.
        var result = SavingsPlanOptimizer.Optimise([2m, 4m], 0.5m, [0.2m, 1m]);

        result.Should().Be(new SavingsPlanOptimizer.Result(2.000m, 2.4m, 4.4m));
        // Unweighted, one hour of two may be above: x = 2, commitment 1.000.
        SavingsPlanOptimizer.Optimise([2m, 4m], 0.5m).HourlyCommitment.Should().Be(1.000m);
    }

    [Fact]
    public void Size_InstanceHoursCountEachHourByItsCoverage()
    {
        // 1,000 tokens per request at 500 tokens/s per instance (1,000 x 0.5): 0.8 rps wants 2, 0.3 rps wants 1.
        var demand = new DemandProfile([0.8m, 0.3m], 700m, 300m, "edge") { HourWeights = [1m, 0.5m] };
        var fleet = new FleetSettings(FleetPlatform.SageMaker, "ml.inf2.xlarge", "llama", "ep", 1000, 0.5m, null, null, new FleetServingSettings("meta-llama/Llama-3.1-8B-Instruct", null, null, 128, 3600, 3600, 4, 15_000, []));

        var plan = FleetSizer.Size(demand, 1m, fleet);

        plan.InstancesByHour.Should().Equal(2, 1);
        // (2 x 1 + 1 x 0.5) instance-hours over 1.5 covered hours, x 730 / 1.5.
        plan.InstanceHoursPerMonth.Should().BeApproximately(2.5m * 730m / 1.5m, 0.0001m);
        plan.AverageInstances.Should().BeApproximately(2.5m / 1.5m, 0.0001m);
        demand.RequestsPerMonth.Should().BeApproximately(((0.8m * 3600m) + (0.3m * 3600m * 0.5m)) * 730m / 1.5m, 0.0001m);
    }
}
