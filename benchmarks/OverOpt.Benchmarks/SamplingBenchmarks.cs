using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using static TorchSharp.torch;

namespace OverOpt.Benchmarks;

/// <summary>
/// Sampling throughput. One operation is one sampled token (OperationsPerInvoke = batch x response length), so
/// tokens/s = 1e9 / (ns per op). The recompute sampler is the baseline; the Ratio column is the cached sampler's
/// time relative to it, measured in the same process.
/// </summary>
[Config(typeof(InProcessConfig))]
public class SamplingBenchmarks
{
    private const int Batch = 256;
    private const int PromptLength = 8;
    private const int ResponseLength = 16;
    private const int Tokens = Batch * ResponseLength;

    private GptModel _model = null!;
    private Tensor _prompts = null!;
    private Generator _generator = null!;
    private readonly SamplingOptions _options = new() { ResponseLength = ResponseLength, BatchSize = Batch };

    /// <summary>The two default policy sizes of the quick pipeline.</summary>
    [Params("2x64", "4x128")]
    public string Shape { get; set; } = "2x64";

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.SetThreads(0);
        var parts = Shape.Split('x').Select(int.Parse).ToArray();
        _model = new GptModel(new GptShape { Layers = parts[0], ModelDim = parts[1], Heads = 4, Context = 32, VocabularySize = 154 }, seed: 1);
        using var promptGenerator = new Generator(3);
        _prompts = randint(0, 154, [Batch, PromptLength], ScalarType.Int64, generator: promptGenerator);
        _generator = new Generator(5);
    }

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
    }

    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig()
        {
            // In-process: libtorch is already loaded and set up here; a generated child project would rebuild for nothing.
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(2).WithIterationCount(8));
        }
    }
}
