using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.ML;
using OverOpt.MLNet;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Ppo;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using static TorchSharp.torch;

namespace OverOpt.Benchmarks;

/// <summary>
/// PPO steps per second for the default pi_init shape (2 layers, d=64, 4 heads, vocabulary 154): batch 64, prompt 8,
/// response 16, 4 PPO epochs of 4 minibatches, a token-count reward. One operation is one PPO step (a 10-step run,
/// with its two 64-sample evaluations amortized); the baseline is sampling one rollout batch alone, so the Ratio
/// column says what a whole step costs in rollouts.
/// </summary>
[Config(typeof(Config))]
public class PpoBenchmarks
{
    private const int Steps = 10;
    private MLContext _ml = null!;
    private Policy _policy = null!;
    private IDataView _prompts = null!;
    private Tensor _promptTensor = null!;
    private Generator _generator = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.SetThreads(0);
        _ml = new MLContext(1);
        var corpus = TextCorpus.Bundled();
        var tokenizer = WordTokenizer.Train(corpus.Stories);
        var model = new GptModel(new GptShape { Layers = 2, ModelDim = 64, Heads = 4, Context = 32, VocabularySize = tokenizer.VocabularySize }, seed: 1);
        _policy = new Policy(model, tokenizer, new PolicyDescription());
        var prompts = TextCorpus.Prompts(tokenizer, corpus.TrainStories, 8).Take(256).ToArray();
        _prompts = _ml.Data.LoadFromEnumerable(prompts.Select(p => new RewardInput { PromptTokens = p }));
        _promptTensor = PolicySampler.PromptTensor(prompts.Take(64).ToArray(), CPU);
        _generator = new Generator(3);
    }

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
            EvaluationSamples = 64,
        }).Fit(_prompts);
        result.Policy.Dispose();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _policy.Dispose();
        _promptTensor.Dispose();
        _generator.Dispose();
    }

    private sealed class TokenCount(int token) : IRewardScorer
    {
        public string Name => "token-count";

        public float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses) => responses.Select(r => (float)r.Count(t => t == token)).ToArray();
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(1).WithIterationCount(5));
        }
    }
}
