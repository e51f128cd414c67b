using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Sampling;
using static TorchSharp.torch;

namespace OverOpt.Benchmarks;

/// <summary>
/// Sampling throughput. One operation is one sampled token (OperationsPerInvoke = batch x response length), so
/// tokens/s = 1e9 / (ns per op). The recompute sampler is the baseline; the Ratio column is the cached sampler's
/// time relative to it, measured in the same process. Matmul is the peak (<see cref="PeakMatmul"/>) in the same run;
/// GFLOP/s and OfPeak say how close each sampler comes to it (the recompute sampler's FLOPs include its redundant work).
/// </summary>
[Config(typeof(Config))]
public class SamplingBenchmarks
{
    private const int Batch = 256;
    private const int PromptLength = 8;
    private const int ResponseLength = 16;
    internal const int Tokens = Batch * ResponseLength;
    internal const int Vocabulary = 154;

    private GptModel _model = null!;
    private Tensor _prompts = null!;
    private Generator _generator = null!;
    private PeakMatmul _matmul = null!;
    private readonly SamplingOptions _options = new() { ResponseLength = ResponseLength, BatchSize = Batch };

    /// <summary>The two default policy sizes of the quick pipeline.</summary>
    [Params("2x64", "4x128")]
    public string Shape { get; set; } = "2x64";

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkThreads.Apply();
        _model = new GptModel(Shapes.Parse(Shape, Vocabulary), seed: 1);
        TransformerFlops.Check(_model, _model.Shape, Vocabulary);
        using var promptGenerator = new Generator(3);
        _prompts = randint(0, Vocabulary, [Batch, PromptLength], ScalarType.Int64, generator: promptGenerator);
        _generator = new Generator(5);
        _matmul = new PeakMatmul();
    }

    [Benchmark]
    public void Matmul() => _matmul.Run();

    [Benchmark(Baseline = true, OperationsPerInvoke = Tokens)]
    public void Recompute() => RecomputeSampler.Sample(_model, _prompts, _options, _generator).Dispose();

    [Benchmark(OperationsPerInvoke = Tokens)]
    public void KvCache() => PolicySampler.Sample(_model, _model, _prompts, _options, _generator).Dispose();

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _prompts.Dispose();
        _generator.Dispose();
        _matmul.Dispose();
    }

    /// <summary>A token: 1/16 of one sequence's sampling.</summary>
    private static double? Flops(BenchmarkCase benchmarkCase)
    {
        var shape = Shapes.Parse(FlopConfig.Param(benchmarkCase, nameof(Shape)), Vocabulary);
        return benchmarkCase.Descriptor.WorkloadMethod.Name switch
        {
            PeakMatmul.MethodName => PeakMatmul.Flops,
            nameof(Recompute) => TransformerFlops.RecomputeSampling(shape, PromptLength, ResponseLength) / ResponseLength,
            nameof(KvCache) => TransformerFlops.CachedSampling(shape, PromptLength, ResponseLength) / ResponseLength,
            _ => null,
        };
    }

    // In-process (see FlopConfig): libtorch is already loaded and set up here.
    private sealed class Config() : FlopConfig(Flops, warmupCount: 2, iterationCount: 8);
}
