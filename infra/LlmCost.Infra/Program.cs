using System.Collections;
using System.CommandLine;
using LlmCost.Infra.Cli;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;

// No arguments: Pulumi is running us as its YAML compiler. Handled before any parser is built, because
// Pulumi starts the compiler two or three times per preview and each start counts.
if (args.Length == 0)
{
    var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
    return CompilerMode.Run(environment, Directory.GetCurrentDirectory(), Console.Out, Console.Error);
}

var stackOption = new Option<string>("--stack", "-s") { Description = "Stack name: reads stacks/Pulumi.NAME.yaml", Required = true };
var projectOption = new Option<string>("--project-dir") { Description = "The folder with Pulumi.yaml (default: found from the current folder upward)" };

var synth = new Command("synth", "Print the stack's Pulumi YAML program (JSON), offline, as the compiler would") { stackOption, projectOption };
synth.SetAction(result => Run(result, (projectDirectory, config) => ProgramWriter.Write(Synthesize(projectDirectory, config).Program)));

var plan = new Command("plan", "Print the stack's plan for a person: resources by component, routes and prices") { stackOption, projectOption };
plan.SetAction(result => Run(result, (projectDirectory, config) => PlanRenderer.Render(Synthesize(projectDirectory, config))));

var configCommand = new Command("config", "Print the stack's config as Pulumi hands it to the compiler (PULUMI_CONFIG JSON)") { stackOption, projectOption };
configCommand.SetAction(result => Run(result, (_, config) =>
    System.Text.Json.JsonSerializer.Serialize(config.Values.ToDictionary(v => v.Key, v => v.Value)) + "\n"));

var outOption = new Option<string>("--out") { Description = "Folder for the generated TypeScript", Required = true };
var conformance = new Command("conformance", "Write each stack (and deliberately broken variants) as TypeScript for tsc to check against @pulumi/aws") { outOption, projectOption };
conformance.SetAction(result => ConformanceCommand.Run(
    result.GetValue(projectOption) is { } dir ? Path.GetFullPath(dir) : ProjectDirectory.Find("."),
    Path.GetFullPath(result.GetValue(outOption)!)));

var root = new RootCommand("llm-cost: the AWS stack for LLM inference with cost control. With no arguments, runs as Pulumi's YAML compiler.")
{
    synth,
    plan,
    configCommand,
    conformance,
};
return root.Parse(args).Invoke();

static SynthesizedStack Synthesize(string projectDirectory, StackConfig config) =>
    LlmCostStack.Synthesize(StackSettingsReader.Read(config), PriceSnapshot.Embedded, new BundleLocator(projectDirectory));

// Reads the stack file named on the command line and prints what render makes of it; errors name file and key.
int Run(ParseResult result, Func<string, StackConfig, string> render)
{
    try
    {
        var projectDirectory = result.GetValue(projectOption) is { } dir ? Path.GetFullPath(dir) : ProjectDirectory.Find(".");
        var config = StackFileReader.Read(projectDirectory, result.GetValue(stackOption)!);
        Console.Out.Write(render(projectDirectory, config));
        return ExitCodes.Ok;
    }
    catch (Exception e) when (e is ConfigError or SynthesisException or DirectoryNotFoundException)
    {
        Console.Error.WriteLine($"llm-cost: {e.Message}");
        return ExitCodes.For(e);
    }
}
