using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Microsoft.ML;
using OverOpt.MLNet;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Trainers;

namespace OverOpt.Benchmarks;

/// <summary>
/// Reward-model training: comparisons per second of <see cref="TransformerRewardTrainer"/>.Fit on preference rows
/// (ToPreferenceRows of 512 random comparisons: prompt 8, responses 16 tokens), with the trainer's defaults (4
/// epochs, batch 64, as the pipelines' proxies train), for the default proxy shape (2 layers, d=32) and the quick
/// pipeline's largest (3 layers, d=64). One operation is one comparison trained for one epoch: its two sequences
/// forward and backward, with its share of the whole Fit (reading the rows, AdamW, the normalization pass that scores
/// both responses once at the end, the ML.NET chain). The matmul peak is the baseline, measured in the same run for
/// each shape; OfPeak is the share of its GFLOP/s that training reaches.
/// </summary>
[Config(typeof(Config))]
public class RewardModelTrainingBenchmarks
{
    private const int Comparisons = 512;
    private const int Epochs = TransformerRewardTrainer.Defaults.Epochs;
    /// <summary>Units of one Fit: each comparison trained for each epoch.</summary>
    internal const int ComparisonEpochs = Comparisons * Epochs;
    private const int PromptLength = 8;
    private const int ResponseLength = 16;

    private MLContext _ml = null!;
    private IDataView _rows = null!;
    private TransformerRewardTrainer _trainer = null!;
    private PeakMatmul _matmul = null!;

    /// <summary>
    /// The default proxy and the quick pipeline's largest transformer proxy, and each depth at width 4: there almost
    /// nothing but the part of a Fit that does not grow with width is left (per-op dispatch, host work per step, thin
    /// attention and norms), the part that training k replicates as one stacked model could share (docs/speed.md).
    /// </summary>
    [Params("2x32", "3x64", "2x4", "3x4")]
    public string Shape { get; set; } = "2x32";

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkThreads.Apply();
        _ml = new MLContext(1);
        var tokenizer = Shapes.Tokenizer;
        var shape = Shapes.Parse(Shape, tokenizer.VocabularySize);
        using (var network = new RewardNetwork(shape, seed: 1))
        {
            TransformerFlops.Check(network, shape, headOutputs: 1);
        }
        var random = new Random(7);
        var prompts = Shapes.RandomTokens(random, Comparisons, PromptLength, tokenizer.VocabularySize);
        var chosen = Shapes.RandomTokens(random, Comparisons, ResponseLength, tokenizer.VocabularySize);
        var rejected = Shapes.RandomTokens(random, Comparisons, ResponseLength, tokenizer.VocabularySize);
        var comparisons = Enumerable.Range(0, Comparisons)
            .Select(i => new ComparisonRow { PromptTokens = prompts[i], ChosenTokens = chosen[i], RejectedTokens = rejected[i] })
            .ToArray();
        _rows = _ml.RewardModels().ToPreferenceRows(_ml.Data.LoadFromEnumerable(comparisons));
        _trainer = _ml.RewardModels().Trainers.Transformer(new TransformerRewardTrainer.Options
        {
            Tokenizer = tokenizer,
            Shape = shape,
            Epochs = Epochs,
            Seed = 1,
        });
        _matmul = new PeakMatmul();
    }

    [Benchmark(Baseline = true)]
    public void Matmul() => _matmul.Run();

    [Benchmark(OperationsPerInvoke = ComparisonEpochs)]
    public void Fit() => _trainer.Fit(_rows).Dispose();

    [GlobalCleanup]
    public void Cleanup() => _matmul.Dispose();

    /// <summary>A comparison for one epoch: two sequences of 24 tokens trained (3 x forward), and 1/4 of their scoring by the normalization (1 x forward); head d x 1.</summary>
    private static double? Flops(BenchmarkCase benchmarkCase)
    {
        var shape = Shapes.Parse(FlopConfig.Param(benchmarkCase, nameof(Shape)), Shapes.Tokenizer.VocabularySize);
        const int tokens = PromptLength + ResponseLength;
        return benchmarkCase.Descriptor.WorkloadMethod.Name switch
        {
            PeakMatmul.MethodName => PeakMatmul.Flops,
            nameof(Fit) => 2 * (TransformerFlops.Training(shape, tokens, 1) + TransformerFlops.Forward(shape, tokens, 1) / Epochs),
            _ => null,
        };
    }

    private sealed class Config() : FlopConfig(Flops, warmupCount: 1, iterationCount: 5);
}
