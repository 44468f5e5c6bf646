using BenchmarkDotNet.Running;

// `usage-parquet ...`: bench/usage/run.sh's Parquet conversion and measurement, not a BenchmarkDotNet suite.
if (args is ["usage-parquet", .. var rest])
{
    return UsageParquet.Run(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(SavingsPlanOptimizerBenchmarks).Assembly).Run(args);
return 0;
