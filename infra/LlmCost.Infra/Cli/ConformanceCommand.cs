using LlmCost.Infra.Conformance;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;

namespace LlmCost.Infra.Cli;

/// <summary>
/// Writes <c>stacks/NAME.ts</c> for every stack file and <c>broken/CASE.ts</c> (first line: the error tsc must
/// report) for the deliberately broken variants; <c>tests/conformance/check.mjs</c> runs tsc over them.
/// </summary>
internal static class ConformanceCommand
{
    public static int Run(string projectDirectory, string outDirectory)
    {
        try
        {
            var stacksOut = Directory.CreateDirectory(Path.Combine(outDirectory, "stacks")).FullName;
            var brokenOut = Directory.CreateDirectory(Path.Combine(outDirectory, "broken")).FullName;
            var stackNames = Directory.GetFiles(Path.Combine(projectDirectory, "stacks"), "Pulumi.*.yaml")
                .Select(f => Path.GetFileName(f)[7..^5]).Order(StringComparer.Ordinal).ToList();
            ProgramDocument? first = null;
            foreach (var name in stackNames)
            {
                var config = StackFileReader.Read(projectDirectory, name);
                if (StackKinds.Of(config) == StackKind.Account)
                {
                    File.WriteAllText(Path.Combine(stacksOut, $"{name}.ts"), TypeScriptEmitter.Emit(Account.AccountStack.Synthesize(Account.AccountSettingsReader.Read(config)), $"stack {name}"));
                    continue;
                }

                var settings = StackSettingsReader.Read(config);
                var costs = StackPlanning.PlanAsync(settings, projectDirectory, PlanningOptions.Offline, Environment.GetEnvironmentVariable, TimeProvider.System).GetAwaiter().GetResult();
                var program = LlmCostStack.Synthesize(settings, costs, new BundleLocator(projectDirectory)).Program;
                first ??= program;
                File.WriteAllText(Path.Combine(stacksOut, $"{name}.ts"), TypeScriptEmitter.Emit(program, $"stack {name}"));

                // What no stack file shows is type-checked too: the fleet's model from precompiled artifacts in S3.
                if (settings.Fleet is { Serving: { HuggingFaceModelId: not null } serving } fleetSettings)
                {
                    var fromS3 = settings with { Fleet = fleetSettings with { Serving = serving with { HuggingFaceModelId = null, ModelDataUrl = "s3://example-models/neuron/" } } };
                    File.WriteAllText(Path.Combine(stacksOut, $"{name}-fleet-from-s3.ts"),
                        TypeScriptEmitter.Emit(LlmCostStack.Synthesize(fromS3, costs, new BundleLocator(projectDirectory)).Program, $"stack {name}, fleet model from S3"));

                    // And the same fleet on ECS (inf2 on EC2) in an example VPC, with the Bedrock endpoint it creates.
                    var onEcs = settings with
                    {
                        Fleet = fleetSettings with
                        {
                            Platform = CostModel.Vocabulary.FleetPlatform.Ecs,
                            InstanceType = fleetSettings.InstanceType.Replace("ml.", "", StringComparison.Ordinal),
                            Network = new FleetNetworkSettings("vpc-0a1b2c3d4e5f60718", ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"], CostModel.Vocabulary.BedrockEndpointMode.Create),
                        },
                    };
                    var ecsCosts = StackPlanning.PlanAsync(onEcs, projectDirectory, PlanningOptions.Offline, Environment.GetEnvironmentVariable, TimeProvider.System).GetAwaiter().GetResult();
                    File.WriteAllText(Path.Combine(stacksOut, $"{name}-fleet-on-ecs.ts"),
                        TypeScriptEmitter.Emit(LlmCostStack.Synthesize(onEcs, ecsCosts, new BundleLocator(projectDirectory)).Program, $"stack {name}, fleet on ECS"));

                    // And on ECS scaling to zero when idle (baselineInstances 0, no schedules): the wake and idle policies and alarms.
                    var atZero = onEcs with { Fleet = onEcs.Fleet with { BaselineInstances = 0, Serving = onEcs.Fleet.Serving with { Schedules = [] } } };
                    var zeroCosts = StackPlanning.PlanAsync(atZero, projectDirectory, PlanningOptions.Offline, Environment.GetEnvironmentVariable, TimeProvider.System).GetAwaiter().GetResult();
                    File.WriteAllText(Path.Combine(stacksOut, $"{name}-fleet-on-ecs-at-zero.ts"),
                        TypeScriptEmitter.Emit(LlmCostStack.Synthesize(atZero, zeroCosts, new BundleLocator(projectDirectory)).Program, $"stack {name}, fleet on ECS scaling to zero"));
                }
            }

            var brokenPrograms = BrokenPrograms.From(first ?? throw new SynthesisException("No stack files under stacks/."));
            foreach (var broken in brokenPrograms)
            {
                File.WriteAllText(Path.Combine(brokenOut, $"{broken.Name}.ts"),
                    $"// expect: {broken.ExpectedError}\n" + TypeScriptEmitter.Emit(broken.Program, $"broken: {broken.Name}"));
            }

            Console.Out.WriteLine($"wrote {stackNames.Count} stacks and {brokenPrograms.Count} broken variants to {outDirectory}");
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is ConfigError or SynthesisException)
        {
            Console.Error.WriteLine($"llm-cost: {e.Message}");
            return ExitCodes.For(e);
        }
    }
}
