using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(SavingsPlanOptimizerBenchmarks).Assembly).Run(args);
