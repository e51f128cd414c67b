using OverOpt.MLNet.Torch;

namespace OverOpt.Benchmarks;

/// <summary>
/// libtorch's intra-op threads in every benchmark: all cores (<see cref="TorchRuntime.SetThreads"/>(0)), or the
/// count in OVEROPT_BENCH_THREADS. On a machine shared with other work, one thread per process avoids timing the
/// waits of a thread team whose members the scheduler has taken away; every path and its matmul peak run with the same count.
/// </summary>
internal static class BenchmarkThreads
{
    public const string Variable = "OVEROPT_BENCH_THREADS";

    public static int Count => int.TryParse(Environment.GetEnvironmentVariable(Variable), out int threads) && threads > 0 ? threads : Environment.ProcessorCount;

    public static void Apply() => TorchRuntime.SetThreads(Count);
}
