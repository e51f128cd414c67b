using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(OverOpt.Benchmarks.SamplingBenchmarks).Assembly).Run(args);
