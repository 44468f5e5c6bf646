using System.Globalization;
using BenchmarkDotNet.Running;
using LlmCost.Router.Benchmarks;

// work: BenchmarkDotNet over the router's per-request work.
// unseen [N]: the same work on N fresh prompts per size that the tokenizer's cache has never seen.
// ttft [CONFIG] [RUNS]: time to first token of a streamed answer, through the router and from the backend directly.
// startup CONFIG AOT_BOOTSTRAP JIT_DLL [RUNS]: start to first Runtime API poll and first response, AOT beside JIT.
switch (args.FirstOrDefault())
{
    case "work":
        BenchmarkRunner.Run<RouterWorkBenchmarks>(args: args[1..]);
        return 0;
    case "unseen":
        return UnseenTextTimer.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30);
    case "startup" when args.Length >= 4:
        var runs = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 20;
        // As on-demand Lambda cold starts (vocabulary loads in the background), then as provisioned concurrency (loaded in init).
        foreach (var initType in new[] { "on-demand", "provisioned-concurrency" })
        {
            Console.WriteLine($"AWS_LAMBDA_INITIALIZATION_TYPE={initType}");
            await StartupTimer.RunAsync(args[1], runs, [("AOT", args[2], null), ("JIT", "dotnet", args[3])], new Dictionary<string, string> { ["AWS_LAMBDA_INITIALIZATION_TYPE"] = initType });
        }

        return 0;
    case "ttft":
        // ttft CONFIG [RUNS]: time to first token through `serve` against a local ConverseStream server, beside the server's own.
        return await StreamingTtftTimer.RunAsync(args.Length > 1 ? args[1] : "../prod-config.json", args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200);
    default:
        Console.Error.WriteLine("usage: work [BenchmarkDotNet args] | unseen [N] | ttft [CONFIG] [RUNS] | startup CONFIG_JSON AOT_BOOTSTRAP JIT_BOOTSTRAP_DLL [RUNS]");
        return 64;
}
