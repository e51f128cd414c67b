using Microsoft.ML;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Ppo;
using OverOpt.MLNet.Pretraining;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Tests;

/// <summary>A tiny pretrained policy and prompts for the PPO tests.</summary>
public sealed class PpoFixture : IDisposable
{
    public PpoFixture()
    {
        Ml = new MLContext(1);
        Policy = TestModels.PretrainTiny(Ml, context: 16, seed: 2);
        var prompts = TextCorpus.Prompts(Policy.Tokenizer, TestModels.Corpus.TrainStories, 4).Take(200).Select(p => new RewardInput { PromptTokens = p }).ToArray();
        Prompts = Ml.Data.LoadFromEnumerable(prompts);
        Target = Policy.Tokenizer.Encode("and")[0];
    }

    public MLContext Ml { get; }

    public Policy Policy { get; }

    public IDataView Prompts { get; }

    /// <summary>The token whose count is the known reward.</summary>
    public int Target { get; }

    public void Dispose() => Policy.Dispose();
}

/// <summary>A known reward: how often one token appears in the response.</summary>
internal sealed class TokenCountReward(int token, int nanAfterCalls = int.MaxValue) : IRewardScorer
{
    private int _calls;

    public string Name => "token-count";

    public float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses)
        => ++_calls > nanAfterCalls ? responses.Select(_ => float.NaN).ToArray() : responses.Select(r => (float)r.Count(t => t == token)).ToArray();
}

public sealed class PpoTests : IClassFixture<PpoFixture>, IDisposable
{
    private readonly PpoFixture _data;
    private readonly string _folder = Directory.CreateTempSubdirectory("overopt-ppo-").FullName;

    public PpoTests(PpoFixture data)
    {
        _data = data;
    }

    private PpoTrainer.Options Options(int steps, double beta = 0, string? checkpoints = null, IRewardScorer? reward = null) => new()
    {
        InitialPolicy = _data.Policy,
        Reward = reward ?? new TokenCountReward(_data.Target),
        KlCoefficient = beta,
        BatchSize = 32,
        MiniBatches = 2,
        PpoEpochs = 2,
        LearningRate = 2e-3,
        ResponseLength = 10,
        Steps = steps,
        EvaluationInterval = 5,
        EvaluationSamples = 64,
        CheckpointDirectory = checkpoints,
        Seed = 3,
    };

    [Fact]
    public void GaeMatchesAHandComputedExample()
    {
        using var rewards = tensor(new float[] { 0, 0, 1, 0.5f, 0, 2 }, [2, 3]);
        using var values = tensor(new float[] { 0.5f, 0.2f, 0.1f, 0, 1, 0 }, [2, 3]);

        var (advantages, returns) = Gae.Compute(rewards, values, gamma: 0.9, lambda: 0.8);

        // Row 0: delta = (0 + 0.9*0.2 - 0.5, 0 + 0.9*0.1 - 0.2, 1 - 0.1) = (-0.32, -0.11, 0.9);
        // A2 = 0.9, A1 = -0.11 + 0.72*0.9 = 0.538, A0 = -0.32 + 0.72*0.538 = 0.06736.
        // Row 1: delta = (0.5 + 0.9 - 0, 0 - 1, 2 - 0) = (1.4, -1, 2); A2 = 2, A1 = 0.44, A0 = 1.7168.
        float[] expected = [0.06736f, 0.538f, 0.9f, 1.7168f, 0.44f, 2f];
        var actual = advantages.data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 4);
        }
        Assert.Equal(actual.Zip(values.data<float>().ToArray(), (a, v) => a + v).ToArray(), returns.data<float>().ToArray());
        advantages.Dispose();
        returns.Dispose();
    }

    [Fact]
    public void PpoRaisesAKnownRewardWithinAFewDozenSteps()
    {
        var result = _data.Ml.Optimization().Ppo(Options(steps: 30)).Fit(_data.Prompts);
        using var policy = result.Policy;

        double before = result.Curve[0].ProxyScore, after = result.Curve[^1].ProxyScore;
        Assert.True(after > before + 1.0, $"count of the target token went {before:F2} -> {after:F2}");
        Assert.Equal(30, result.Diagnostics.Count);
        Assert.All(result.Curve, p => Assert.True(p.Kl >= 0));
        Assert.Equal([0.0, 5, 10, 15, 20, 25, 30], result.Curve.Select(p => p.Step));

        // The trained policy outlives the trainer: it saves, loads and differs from pi_init.
        string path = Path.Combine(_folder, "trained.zip");
        policy.Save(path);
        using var loaded = Policy.Load(path);
        using var tokens = TestModels.RandomPrompts(2, 8, policy.Tokenizer.VocabularySize, 4);
        using var trained = policy.Model.forward(tokens);
        using var reloaded = loaded.Model.forward(tokens);
        using var initial = _data.Policy.Model.forward(tokens);
        Assert.True(trained.eq(reloaded).all().item<bool>());
        Assert.False(trained.eq(initial).all().item<bool>());
    }

    [Fact]
    public void AKlPenaltyKeepsKlLowerOnTheSameSeed()
    {
        var free = _data.Ml.Optimization().Ppo(Options(steps: 20)).Fit(_data.Prompts);
        var penalized = _data.Ml.Optimization().Ppo(Options(steps: 20, beta: 0.5)).Fit(_data.Prompts);
        free.Policy.Dispose();
        penalized.Policy.Dispose();

        Assert.True(penalized.Curve[^1].Kl < 0.7 * free.Curve[^1].Kl, $"KL with beta 0.5: {penalized.Curve[^1].Kl:F3}; without: {free.Curve[^1].Kl:F3}");
    }

    [Fact]
    public void AResumedRunEqualsAnUninterruptedOne()
    {
        var uninterrupted = _data.Ml.Optimization().Ppo(Options(steps: 10)).Fit(_data.Prompts);
        uninterrupted.Policy.Dispose();
        string checkpoints = Path.Combine(_folder, "resume");
        // Killed during step 8: the last checkpoint is the one written at the step-5 evaluation.
        var killedOptions = Options(steps: 10, checkpoints: checkpoints);
        killedOptions.Progress = new KillAt(step: 8);
        Assert.Throws<KilledException>(() => _data.Ml.Optimization().Ppo(killedOptions).Fit(_data.Prompts));

        var resumed = _data.Ml.Optimization().Ppo(Options(steps: 10, checkpoints: checkpoints)).Fit(_data.Prompts);
        resumed.Policy.Dispose();

        Assert.True(resumed.Resumed);
        Assert.Equal(uninterrupted.Curve.Select(p => (p.Step, p.Kl, p.ProxyScore)), resumed.Curve.Select(p => (p.Step, p.Kl, p.ProxyScore)));
        Assert.Equal(uninterrupted.Diagnostics, resumed.Diagnostics);
    }

    [Fact]
    public void ANaNRewardStopsTheRunAtItsStepAndKeepsTheLastCheckpoint()
    {
        string checkpoints = Path.Combine(_folder, "nan");
        // Each evaluation scores twice (as reward and as gold, none being given): calls 1-2 evaluate step 0,
        // 3-7 are steps 1-5, 8-9 evaluate step 5 and write its checkpoint, call 10 (step 6) returns NaN.
        var options = Options(steps: 10, checkpoints: checkpoints, reward: new TokenCountReward(_data.Target, nanAfterCalls: 9));

        var error = Assert.Throws<PpoDivergedException>(() => _data.Ml.Optimization().Ppo(options).Fit(_data.Prompts));

        Assert.Equal(6, error.Step);
        Assert.Contains("step 6", error.Message);
        var resumed = _data.Ml.Optimization().Ppo(Options(steps: 10, checkpoints: checkpoints)).Fit(_data.Prompts);
        resumed.Policy.Dispose();
        Assert.True(resumed.Resumed);
        Assert.Equal([0.0, 5, 10], resumed.Curve.Select(p => p.Step));
    }

    /// <summary>Stops a run the way a kill would: abruptly, in the middle of its work.</summary>
    private sealed class KillAt(int step) : IProgress<Progress.ProgressUpdate>
    {
        public void Report(Progress.ProgressUpdate value)
        {
            if (value.Done == step)
            {
                throw new KilledException();
            }
        }
    }

    private sealed class KilledException : Exception;

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
