using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Microsoft.ML;
using OverOpt.MLNet.RewardModels;

namespace OverOpt.Benchmarks;

/// <summary>
/// Reward-model scoring: samples per second of <see cref="RewardModel.Score"/>, the batch path (512 per forward
/// pass) that best-of-n and PPO use, on 1,024 random samples (prompt 8, response 16 tokens), for the two proxy
/// shapes of <see cref="RewardModelTrainingBenchmarks"/> and gold's (4 layers, d=128). One operation is one sample
/// scored. The matmul peak is the baseline, measured in the same run for each shape.
/// </summary>
[Config(typeof(Config))]
public class RewardModelScoringBenchmarks
{
    internal const int Samples = 1024;
    private const int PromptLength = 8;
    private const int ResponseLength = 16;

    private TransformerRewardModel _model = null!;
    private int[][] _prompts = null!;
    private int[][] _responses = null!;
    private PeakMatmul _matmul = null!;

    /// <summary>The default proxy, the largest proxy of the quick pipeline, and gold.</summary>
    [Params("2x32", "3x64", "4x128")]
    public string Shape { get; set; } = "2x32";

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkThreads.Apply();
        var ml = new MLContext(1);
        var tokenizer = Shapes.Tokenizer;
        var shape = Shapes.Parse(Shape, tokenizer.VocabularySize);
        var network = new RewardNetwork(shape, seed: 1);
        TransformerFlops.Check(network, shape, headOutputs: 1);
        var random = new Random(7);
        _prompts = Shapes.RandomTokens(random, Samples, PromptLength, tokenizer.VocabularySize);
        _responses = Shapes.RandomTokens(random, Samples, ResponseLength, tokenizer.VocabularySize);
        _model = TransformerRewardModel.Create(ml, network, tokenizer, new RewardModelInfo { Name = "bench" }, _prompts, _responses);
        _matmul = new PeakMatmul();
    }

    [Benchmark(Baseline = true)]
    public void Matmul() => _matmul.Run();

    [Benchmark(OperationsPerInvoke = Samples)]
    public float[] Score() => _model.Score(_prompts, _responses);

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _matmul.Dispose();
    }

    /// <summary>A sample: one forward pass over 24 tokens, head d x 1.</summary>
    private static double? Flops(BenchmarkCase benchmarkCase)
    {
        var shape = Shapes.Parse(FlopConfig.Param(benchmarkCase, nameof(Shape)), Shapes.Tokenizer.VocabularySize);
        return benchmarkCase.Descriptor.WorkloadMethod.Name switch
        {
            PeakMatmul.MethodName => PeakMatmul.Flops,
            nameof(Score) => TransformerFlops.Forward(shape, PromptLength + ResponseLength, 1),
            _ => null,
        };
    }

    private sealed class Config() : FlopConfig(Flops, warmupCount: 1, iterationCount: 5);
}
