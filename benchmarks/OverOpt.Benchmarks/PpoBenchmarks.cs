using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Microsoft.ML;
using OverOpt.MLNet;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Ppo;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using static TorchSharp.torch;

namespace OverOpt.Benchmarks;

/// <summary>
/// PPO steps per second for the default pi_init shape (2 layers, d=64, 4 heads, vocabulary 154), and the same depth at
/// width 4 (the part of a step that does not grow with width, which PPO seeds batched as one stacked model could share at
/// most: docs/speed.md): batch 64, prompt 8,
/// response 16, 4 PPO epochs of 4 minibatches, a token-count reward. One operation is one PPO step (a 10-step run,
/// with its two 64-sample evaluations amortized); the baseline is sampling one rollout batch alone, so the Ratio
/// column says what a whole step costs in rollouts. Matmul is the peak (<see cref="PeakMatmul"/>) in the same run;
/// GFLOP/s and OfPeak say how close each path comes to it.
/// </summary>
[Config(typeof(Config))]
public class PpoBenchmarks
{
    /// <summary>PPO steps in the timed run: one operation is one of them.</summary>
    internal const int Steps = 10;
    /// <summary>The default pi_init shape, the one the peer benchmark times.</summary>
    internal const string ShapeName = "2x64";
    private const int PromptLength = 8;
    private const int EvaluationSamples = 64;
    private MLContext _ml = null!;
    private Policy _policy = null!;
    private IDataView _prompts = null!;
    private Tensor _promptTensor = null!;
    private Generator _generator = null!;
    private PeakMatmul _matmul = null!;

    /// <summary>The policy's shape: the default, and its depth at width 4.</summary>
    [Params(ShapeName, "2x4")]
    public string Shape { get; set; } = ShapeName;

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkThreads.Apply();
        _ml = new MLContext(1);
        var corpus = TextCorpus.Bundled();
        var tokenizer = WordTokenizer.Train(corpus.Stories);
        var model = new GptModel(Shapes.Parse(Shape, tokenizer.VocabularySize), seed: 1);
        TransformerFlops.Check(model, model.Shape, model.Shape.VocabularySize);
        _policy = new Policy(model, tokenizer, new PolicyDescription());
        var prompts = TextCorpus.Prompts(tokenizer, corpus.TrainStories, PromptLength).Take(256).ToArray();
        _prompts = _ml.Data.LoadFromEnumerable(prompts.Select(p => new RewardInput { PromptTokens = p }));
        _promptTensor = PolicySampler.PromptTensor(prompts.Take(64).ToArray(), CPU);
        _generator = new Generator(3);
        _matmul = new PeakMatmul();
    }

    [Benchmark]
    public void Matmul() => _matmul.Run();

    [Benchmark(Baseline = true)]
    public void Rollout() => PolicySampler.Sample(_policy.Model, _policy.Model, _promptTensor, new SamplingOptions { ResponseLength = 16 }, _generator).Dispose();

    [Benchmark(OperationsPerInvoke = Steps)]
    public void PpoStep()
    {
        var result = _ml.Optimization().Ppo(new PpoTrainer.Options
        {
            InitialPolicy = _policy,
            Reward = new TokenCount(_policy.Tokenizer.Encode("happy")[0]),
            Steps = Steps,
            EvaluationPoints = 1,
            EvaluationSamples = EvaluationSamples,
        }).Fit(_prompts);
        result.Policy.Dispose();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _policy.Dispose();
        _promptTensor.Dispose();
        _generator.Dispose();
        _matmul.Dispose();
    }

    /// <summary>
    /// Rollout: 64 sequences sampled with the cache. A PPO step: its rollout and pi_init's pass over the 24-token
    /// sequences (the policy is a copy, so the reference is computed), the old values (a forward with the value head
    /// alone), 4 epochs of forward and backward over the 64 sequences, and 1/10 of the run's two evaluations (64 samples
    /// and their reference pass each).
    /// </summary>
    private static double? Flops(BenchmarkCase benchmarkCase)
    {
        var shape = Shapes.Parse(FlopConfig.Param(benchmarkCase, nameof(Shape)), Shapes.Tokenizer.VocabularySize);
        var options = new PpoTrainer.Options();
        int tokens = PromptLength + options.ResponseLength, vocabulary = shape.VocabularySize;
        double sample = TransformerFlops.CachedSampling(shape, PromptLength, options.ResponseLength);
        double sampleAndReference = sample + TransformerFlops.Forward(shape, tokens, vocabulary);
        int evaluations = EvaluationSchedule.LogSpaced(Steps, 1).Length;
        return benchmarkCase.Descriptor.WorkloadMethod.Name switch
        {
            PeakMatmul.MethodName => PeakMatmul.Flops,
            nameof(Rollout) => options.BatchSize * sample,
            nameof(PpoStep) => options.BatchSize * (sampleAndReference
                    + TransformerFlops.Forward(shape, tokens, 1)
                    + options.PpoEpochs * TransformerFlops.Training(shape, tokens, vocabulary + 1))
                + evaluations * EvaluationSamples * sampleAndReference / Steps,
            _ => null,
        };
    }

    private sealed class TokenCount(int token) : IRewardScorer
    {
        public string Name => "token-count";

        public float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses) => responses.Select(r => (float)r.Count(t => t == token)).ToArray();
    }

    private sealed class Config() : FlopConfig(Flops, warmupCount: 1, iterationCount: 5);
}
