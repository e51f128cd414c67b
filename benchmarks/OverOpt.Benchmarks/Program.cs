using BenchmarkDotNet.Running;
using OverOpt.Benchmarks.Peer;

// "peer": the project against PyTorch 2.6, timed side by side (see PeerCommand); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "peer")
{
    return PeerCommand.Run(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(OverOpt.Benchmarks.SamplingBenchmarks).Assembly).Run(args);
return 0;
