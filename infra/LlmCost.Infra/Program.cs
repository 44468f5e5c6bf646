using System.Collections;
using System.CommandLine;
using LlmCost.Infra.Cli;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;

// No arguments: Pulumi is running us as its YAML compiler. Handled before any parser is built, because
// Pulumi starts the compiler two or three times per preview and each start counts.
if (args.Length == 0)
{
    var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
    return await CompilerMode.RunAsync(environment, Directory.GetCurrentDirectory(), Console.Out, Console.Error, TimeProvider.System);
}

var stackOption = new Option<string>("--stack", "-s") { Description = "Stack name: reads stacks/Pulumi.NAME.yaml", Required = true };
var projectOption = new Option<string>("--project-dir") { Description = "The folder with Pulumi.yaml (default: found from the current folder upward)" };
var liveOption = new Option<bool>("--live") { Description = "Price as the stack's pricing.source says (live APIs, cache, snapshot) instead of offline on the embedded snapshot" };
var usageOption = new Option<string>("--usage") { Description = "Size from this request history (CSV or JSON lines, plain or gzip: timestamp, input and output tokens; a relative path is from the current directory) instead of the stack's demand" };
var delimiterOption = new Option<char?>("--delimiter") { Description = "The --usage CSV's delimiter (default: detected from its header among , ; tab |)" };
var formatOption = new Option<string>("--format") { Description = "text (default) or json (the cost plan's documented fields, for scripts)", DefaultValueFactory = _ => "text" };
formatOption.AcceptOnlyFromAmong("text", "json");

var synth = new Command("synth", "Print the stack's Pulumi YAML program (JSON), as the compiler would; offline unless --live") { stackOption, projectOption, liveOption, usageOption, delimiterOption };
synth.SetAction((result, cancel) => RunConfigAsync(result, async (dir, config, settings) => ProgramWriter.Write((await Synthesize(result, dir, settings ?? StackSettingsReader.Read(config))).Program),
    account: config => ProgramWriter.Write(LlmCost.Infra.Account.AccountStack.Synthesize(LlmCost.Infra.Account.AccountSettingsReader.Read(config)))));

var plan = new Command("plan", "Print the stack's plan for a person: resources, routes and prices, fleet, Savings Plan, break-even, forecast") { stackOption, projectOption, liveOption, usageOption, delimiterOption, formatOption };
plan.SetAction((result, cancel) => RunAsync(result, async (dir, settings) =>
    result.GetValue(formatOption) == "json" ? PlanJsonRenderer.Render(await Synthesize(result, dir, settings)) : PlanRenderer.Render(await Synthesize(result, dir, settings))));

var prices = new Command("prices", "Show the prices the stack would use, and where each came from") { stackOption, projectOption, liveOption };
prices.SetAction((result, cancel) => RunAsync(result, async (dir, settings) => PriceRenderer.Render(settings, await Plan(result, dir, settings, null))));
var refresh = new Command("refresh", "Fetch the stack's prices from the live AWS APIs into the local cache (fails if they cannot be fetched)") { stackOption, projectOption };
refresh.SetAction((result, cancel) => RunAsync(result, async (dir, settings) =>
    PriceRenderer.Render(settings, await StackPlanning.PlanAsync(settings, dir, new PlanningOptions(LlmCost.CostModel.Vocabulary.PricingSource.LiveRequired, RefreshCache: true), Environment.GetEnvironmentVariable, TimeProvider.System))));
prices.Subcommands.Add(refresh);

var configCommand = new Command("config", "Print the stack's config as Pulumi hands it to the compiler (PULUMI_CONFIG JSON)") { stackOption, projectOption };
configCommand.SetAction((result, cancel) => RunConfigAsync(result, (_, config, _) =>
    Task.FromResult(System.Text.Json.JsonSerializer.Serialize(config.Values.ToDictionary(v => v.Key, v => v.Value)) + "\n")));

var baseOption = new Option<string>("--base") { Description = "The git revision to compare with (for a pull request: origin/BASE-BRANCH); planned in a temporary worktree" };
var baseFileOption = new Option<string>("--base-file") { Description = "A saved `plan --format json` of the base, instead of --base" };
var diffFormatOption = new Option<string>("--format") { Description = "markdown (default: a pull-request comment) or json", DefaultValueFactory = _ => "markdown" };
diffFormatOption.AcceptOnlyFromAmong("markdown", "json");
var chartOption = new Option<string>("--chart") { Description = "Where to write the PNG chart of the week's hourly cost (default: .artifacts/cost-diff/STACK-week.png in the project; none: no PNG)" };
var costDiff = new Command("diff", "Compare the stack's plan and resources with a base revision, both priced on the same embedded snapshot") { stackOption, projectOption, baseOption, baseFileOption, diffFormatOption, chartOption };
costDiff.SetAction((result, cancel) =>
{
    string projectDirectory;
    try
    {
        projectDirectory = result.GetValue(projectOption) is { } dir ? Path.GetFullPath(dir) : ProjectDirectory.Find(".");
    }
    catch (DirectoryNotFoundException e)
    {
        Console.Error.WriteLine($"llm-cost: {e.Message}");
        return Task.FromResult(ExitCodes.For(e));
    }

    var stack = result.GetValue(stackOption)!;
    var chart = result.GetValue(chartOption) switch
    {
        "none" => null,
        null => Path.Combine(projectDirectory, ".artifacts", "cost-diff", $"{stack}-week.png"),
        var path => Path.GetFullPath(path),
    };
    return CostDiffCommand.RunAsync(projectDirectory, stack, result.GetValue(baseOption), result.GetValue(baseFileOption), result.GetValue(diffFormatOption)!, chart,
        Console.Out, Console.Error, TimeProvider.System);
});
var cost = new Command("cost", "Cost commands for reviews") { costDiff };

var outOption = new Option<string>("--out") { Description = "Folder for the generated TypeScript", Required = true };
var conformance = new Command("conformance", "Write each stack (and deliberately broken variants) as TypeScript for tsc to check against @pulumi/aws") { outOption, projectOption };
conformance.SetAction(result => ConformanceCommand.Run(
    result.GetValue(projectOption) is { } dir ? Path.GetFullPath(dir) : ProjectDirectory.Find("."),
    Path.GetFullPath(result.GetValue(outOption)!)));

var recordsOption = new Option<string[]>("--records") { Description = "Usage records: JSON lines as the router writes them (gzip too) or Parquet as the delivery stream writes them (what `usage fetch` downloads); several files or a shell glob", Required = true, AllowMultipleArgumentsPerToken = true };
var queryOption = new Option<string>("--query") { Description = "Run only this query (a file name in analytics/queries/ without .sql)" };
var forecastStackOption = new Option<string>("--stack", "-s") { Description = "Compare spend with this stack's offline plan (spend_vs_forecast); without it the forecast is 0" };
var usageChartOption = new Option<string>("--chart") { Description = "Also write the cost by day as a PNG bar chart to this path" };
var usage = new Command("usage", "Usage records: fetch them from a stack's bucket, and analyse them on this machine");
var report = new Command("report", "Run the analytics SQL (the Athena named queries' files) with DuckDB over local usage records and print the tables") { recordsOption, queryOption, forecastStackOption, projectOption, formatOption, usageChartOption };
report.SetAction(async (result, cancel) =>
{
    try
    {
        var (p50, p90) = (0m, 0m);
        if (result.GetValue(forecastStackOption) is { } forecastStack)
        {
            var dir = result.GetValue(projectOption) is { } d ? Path.GetFullPath(d) : ProjectDirectory.Find(".");
            var settings = StackSettingsReader.Read(StackFileReader.Read(dir, forecastStack));
            var costs = await StackPlanning.PlanAsync(settings, dir, PlanningOptions.Offline, Environment.GetEnvironmentVariable, TimeProvider.System);
            (p50, p90) = (costs.Forecast.P50.Total, costs.Forecast.P90.Total);
        }

        var tables = LlmCost.Infra.Analytics.UsageReport.Run(result.GetValue(recordsOption)!, result.GetValue(queryOption), p50, p90);
        if (result.GetValue(usageChartOption) is { } chartPath)
        {
            LlmCost.Infra.Analytics.DailyCostChart.Write(chartPath, tables);
        }
        Console.Out.Write(result.GetValue(formatOption) == "json" ? LlmCost.Infra.Analytics.UsageReportJson.Render(tables) : LlmCost.Infra.Analytics.UsageReport.Render(tables));
        return ExitCodes.Ok;
    }
    catch (Exception e) when (e is ConfigError or FormatException or DirectoryNotFoundException or PricingException)
    {
        Console.Error.WriteLine($"llm-cost: {e.Message}");
        return ExitCodes.For(e);
    }
});
usage.Subcommands.Add(report);

var sinceOption = new Option<string>("--since") { Description = "How far back: 7d, 24h, 90m (whole UTC days of delivery are fetched, from the day this reaches back to, through today)", Required = true };
sinceOption.Validators.Add(result =>
{
    try
    {
        LlmCost.Infra.Analytics.FetchWindow.Parse(result.GetValueOrDefault<string>(), TimeProvider.System.GetUtcNow());
    }
    catch (FormatException e)
    {
        result.AddError(e.Message);
    }
});
var fetchOutOption = new Option<string>("--out") { Description = "Folder for the records, as dt=YYYY-MM-DD/NAME.parquet (default: .artifacts/usage/STACK in the project; a relative path is from the current directory)" };
var bucketOption = new Option<string>("--bucket") { Description = "Read this bucket instead of the stack's own (llm-cost-STACK-ACCOUNT-REGION, the account asked of STS)" };
var fetch = new Command("fetch", "Download the stack's usage records (Parquet, as the delivery stream wrote them) from its analytics bucket for the days --since covers") { stackOption, sinceOption, fetchOutOption, bucketOption, projectOption };
fetch.SetAction(async (result, cancel) =>
{
    try
    {
        var dir = result.GetValue(projectOption) is { } d ? Path.GetFullPath(d) : ProjectDirectory.Find(".");
        var stack = result.GetValue(stackOption)!;
        var settings = StackSettingsReader.Read(StackFileReader.Read(dir, stack));
        var outDirectory = result.GetValue(fetchOutOption) is { } o ? Path.GetFullPath(o) : Path.Combine(dir, ".artifacts", "usage", stack);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var fetched = await LlmCost.Infra.Analytics.UsageFetch.RunAsync(
            new LlmCost.Infra.Analytics.UsageFetchRequest(settings, result.GetValue(sinceOption)!, outDirectory, result.GetValue(bucketOption)),
            http, LlmCost.Infra.Pricing.Live.AwsCredentialChain.ResolveAsync, Environment.GetEnvironmentVariable, TimeProvider.System, cancel);
        Console.Out.Write(LlmCost.Infra.Analytics.UsageFetch.Render(fetched));
        return ExitCodes.Ok;
    }
    catch (Exception e) when (e is ConfigError or DirectoryNotFoundException or LlmCost.Infra.Analytics.UsageFetchException)
    {
        Console.Error.WriteLine($"llm-cost: {e.Message}");
        return ExitCodes.For(e);
    }
});
usage.Subcommands.Add(fetch);

var root = new RootCommand("llm-cost: the AWS stack for LLM inference with cost control. With no arguments, runs as Pulumi's YAML compiler.")
{
    synth,
    plan,
    prices,
    configCommand,
    conformance,
    usage,
    cost,
};
return await root.Parse(args).InvokeAsync();

Task<CostPlan> Plan(ParseResult result, string projectDirectory, StackSettings settings, string? usage) =>
    StackPlanning.PlanAsync(settings, projectDirectory,
        (result.GetValue(liveOption) ? new PlanningOptions() : PlanningOptions.Offline) with { UsageFile = usage, UsageDelimiter = usage is null ? null : result.GetValue(delimiterOption) },
        Environment.GetEnvironmentVariable, TimeProvider.System);

async Task<SynthesizedStack> Synthesize(ParseResult result, string projectDirectory, StackSettings settings) =>
    LlmCostStack.Synthesize(settings, await Plan(result, projectDirectory, settings, result.GetValue(usageOption)), new BundleLocator(projectDirectory));

Task<int> RunAsync(ParseResult result, Func<string, StackSettings, Task<string>> render) =>
    RunConfigAsync(result, (dir, config, settings) => render(dir, settings ?? StackSettingsReader.Read(config)));

// Reads the stack file named on the command line once, validates it, and prints what render makes of it; errors name file and key.
// An account stack (llm-cost:kind: account) has no environment settings: commands that support one say how to render it.
async Task<int> RunConfigAsync(ParseResult result, Func<string, StackConfig, StackSettings?, Task<string>> render, Func<StackConfig, string>? account = null)
{
    try
    {
        var projectDirectory = result.GetValue(projectOption) is { } dir ? Path.GetFullPath(dir) : ProjectDirectory.Find(".");
        var config = StackFileReader.Read(projectDirectory, result.GetValue(stackOption)!);
        if (account is not null && StackKinds.Of(config) == StackKind.Account)
        {
            Console.Out.Write(account(config));
            return ExitCodes.Ok;
        }

        Console.Out.Write(await render(projectDirectory, config, StackKinds.Of(config) == StackKind.Account ? null : StackSettingsReader.Read(config)));
        return ExitCodes.Ok;
    }
    catch (Exception e) when (e is ConfigError or SynthesisException or DirectoryNotFoundException or PricingException or FormatException)
    {
        Console.Error.WriteLine($"llm-cost: {e.Message}");
        return ExitCodes.For(e);
    }
}
