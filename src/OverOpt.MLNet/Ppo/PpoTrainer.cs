using Microsoft.ML;
using Microsoft.ML.Runtime;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Ppo;

/// <summary>
/// KL-regularized PPO of a language-model policy against any <see cref="IRewardScorer"/>, recording proxy, gold and
/// (where given) the world's rule along the way. It maximizes E[reward] - beta * KL(pi || pi_init) over whole
/// responses: the reward score at the last token, the KL penalty as <see cref="KlPenaltyEstimator"/> says; a
/// zero-initialized value head on the policy; GAE (gamma, lambda); whitened advantages; clipped surrogate and clipped
/// value losses; pi_init frozen; no dropout anywhere. The input is an IDataView of prompts (a <c>PromptTokens</c>
/// column of int[]).
/// </summary>
public sealed partial class PpoTrainer : IEstimator<PpoPolicyTransformer>
{
    private readonly MLContext _ml;
    private readonly Options _options;

    /// <summary>A trainer with <paramref name="options"/>, checked here (a missing policy or reward or an impossible value throws <see cref="OverOptConfigurationException"/>); <paramref name="mlContext"/> reads the prompt IDataViews.</summary>
    public PpoTrainer(MLContext mlContext, Options options)
    {
        TorchRuntime.EnsureLoaded();
        options.Validate();
        _ml = mlContext;
        _options = options;
    }

    /// <summary>
    /// Trains for <see cref="Options.Steps"/> steps (or until <see cref="Options.TargetKl"/> is reached), resuming from the
    /// checkpoint folder when it holds a checkpoint of the same run.
    /// </summary>
    public PpoPolicyTransformer Fit(IDataView prompts)
    {
        var train = ReadPrompts(prompts, "the training prompts");
        var evaluation = _options.EvaluationData is null ? train : ReadPrompts(_options.EvaluationData, "Options.EvaluationData");
        string fingerprint = _options.Fingerprint(train, evaluation);
        var device = _options.Device ?? _options.InitialPolicy!.Device;
        var reference = _options.InitialPolicy!;
        var policy = (_options.StartPolicy ?? reference).Clone();
        using var actorCritic = new ActorCritic(policy.Model);
        actorCritic.to(device);
        using var optimizer = new AdamOptimizer(actorCritic.parameters(), _options.LearningRate, epsilon: 1e-5);
        using var generator = new Generator((ulong)_options.Seed, device);
        var state = new RunState { Beta = _options.KlCoefficient };
        string? discarded = null;
        bool resumed = PpoCheckpoint.TryRestore(_options, fingerprint, actorCritic, optimizer, generator, state, discarded: message =>
        {
            discarded = message;
            // ML.NET's way to tell the caller: a warning on the context's log (MLContext.Log).
            using var channel = ((IHostEnvironment)_ml).Start(nameof(PpoTrainer));
            channel.Warning(MessageSensitivity.Unknown, message);
        });
        var schedule = new HashSet<int>(EvaluationSchedule.LogSpaced(_options.Steps, _options.EvaluationPoints));

        var sampling = new SamplingOptions { ResponseLength = _options.ResponseLength, Temperature = _options.Temperature, BatchSize = _options.BatchSize };
        // A run resumed at step 0 (stopped before its first update) already has its step-0 point and baseline.
        if (!resumed)
        {
            var start = EvaluateRaw(policy, reference, evaluation, sampling, step: 0);
            var initial = _options.StartPolicy is null ? start : EvaluateRaw(reference, reference, evaluation, sampling, step: 0);
            state.Baseline = new ScoreBaseline(initial.ProxyScore, initial.GoldScore, initial.RuleScore);
            state.Curve.Add(RlCurvePoints.Centre(start, state.Baseline));
            Checkpoint(fingerprint, actorCritic, optimizer, generator, state);
        }
        while (state.Step < _options.Steps && !BudgetSpent(state))
        {
            state.Step++;
            var diagnostics = Step(actorCritic, reference.Model, train, sampling, optimizer, generator, state);
            state.Diagnostics.Add(diagnostics);
            _options.Progress?.Report(new ProgressUpdate($"ppo {_options.Name}", state.Step, _options.Steps,
                $"score {diagnostics.MeanScore:F3}, KL {diagnostics.KlExact:F3}, beta {diagnostics.Beta:G3}"));
            // The last step of a run that stops at its KL budget is evaluated too.
            bool evaluate = schedule.Contains(state.Step) || BudgetSpent(state);
            if (evaluate)
            {
                state.Curve.Add(RlCurvePoints.Centre(EvaluateRaw(policy, reference, evaluation, sampling, state.Step), state.Baseline!));
            }
            if (evaluate || state.Step % _options.CheckpointInterval == 0)
            {
                Checkpoint(fingerprint, actorCritic, optimizer, generator, state);
            }
        }
        actorCritic.eval();
        return new PpoPolicyTransformer(_ml, _options, policy, state.Curve.ToList(), state.Diagnostics.ToList(), FitCurve(state.Curve), state.Baseline!, resumed, discarded);
    }

    /// <summary>Whether the last step's rollout reached <see cref="Options.TargetKl"/> (read from the diagnostics, which a checkpoint restores).</summary>
    private bool BudgetSpent(RunState state) => _options.TargetKl is { } target && state.Diagnostics.Count > 0 && state.Diagnostics[^1].KlExact >= target;

    private PpoDiagnostics Step(ActorCritic actorCritic, GptModel reference, IReadOnlyList<int[]> prompts, SamplingOptions sampling,
        AdamOptimizer optimizer, Generator generator, RunState state)
    {
        using var scope = NewDisposeScope();
        var device = reference.parameters().First().device;
        double learningRate = _options.AnnealLearningRate
            ? LearningRateSchedule.At(state.Step, _options.Steps, 0, _options.LearningRate)
            : _options.LearningRate;
        optimizer.LearningRate = learningRate;
        bool exactPenalty = _options.PenaltyEstimator == KlPenaltyEstimator.Exact && state.Beta > 0;

        // Rollout: pi samples, pi_init scores, exact KL per token; all under no_grad inside the sampler.
        var chosen = randint(0, prompts.Count, [_options.BatchSize], ScalarType.Int64, generator: generator).cpu().data<long>().ToArray();
        var batchPrompts = chosen.Select(i => prompts[(int)i]).ToArray();
        using var promptTensor = PolicySampler.PromptTensor(batchPrompts, device);
        var rolloutSampling = new SamplingOptions { ResponseLength = sampling.ResponseLength, Temperature = sampling.Temperature, BatchSize = sampling.BatchSize, KeepLogits = exactPenalty };
        using var batch = PolicySampler.Sample(actorCritic.Policy, reference, promptTensor, rolloutSampling, generator);
        var responses = batch.Responses.cpu().to_type(ScalarType.Int32).data<int>().ToArray();
        var responseArrays = Enumerable.Range(0, _options.BatchSize).Select(b => responses.AsSpan(b * _options.ResponseLength, _options.ResponseLength).ToArray()).ToArray();
        var scores = _options.Reward!.Score(batchPrompts, responseArrays);
        if (scores.Any(s => !float.IsFinite(s)))
        {
            throw new PpoDivergedException(state.Step, $"the reward '{_options.Reward.Name}' returned NaN or infinity");
        }
        double distinct = responseArrays.Select(r => string.Join(',', r)).Distinct().Count() / (double)_options.BatchSize;
        var sequences = cat([batch.Prompts, batch.Responses], 1);
        long promptLength = batch.Prompts.shape[1];
        Tensor oldValues;
        using (no_grad())
        {
            actorCritic.eval();
            oldValues = actorCritic.Values(sequences).narrow(1, promptLength - 1, _options.ResponseLength);
        }
        var logRatio = batch.LogProbs - batch.ReferenceLogProbs;
        var rewards = (_options.PenaltyEstimator == KlPenaltyEstimator.K1 ? logRatio : KlOfNextState(batch.TokenKl)).Times(-state.Beta);
        rewards.select(1, _options.ResponseLength - 1).PlusInPlace(tensor(scores).to(device));
        var (advantages, returns) = Gae.Compute(rewards, oldValues, _options.Gamma, _options.Lambda);
        // Whitening divides the reward's gradient by its scale; the KL loss term is divided by the same, so that the two
        // keep the weights of reward - beta * KL.
        var whitened = Gae.Whiten(advantages, out double advantageScale);
        double explainedVariance = 1 - (returns - oldValues).var().item<float>() / Math.Max(1e-8, returns.var().item<float>());

        var rollout = new Rollout(sequences, promptLength, batch.LogProbs, oldValues, whitened, returns,
            exactPenalty ? batch.ReferenceLogSoftmax : null, state.Beta / advantageScale);
        var update = Update(actorCritic, optimizer, generator, rollout, state.Step);

        double klExact = batch.TokenKl.sum(1).mean().item<float>();
        double klK1 = logRatio.sum(1).mean().item<float>();
        double klK3 = (-logRatio).exp().Minus(1L).Plus(logRatio).sum(1).mean().item<float>();
        double beta = state.Beta;
        if (_options.AdaptiveKlTarget is { } target)
        {
            // OpenAI's proportional controller, driven by the same exact KL that is logged.
            double error = Math.Clamp(klExact / target - 1, -0.2, 0.2);
            state.Beta *= 1 + error * _options.BatchSize / _options.AdaptiveKlHorizon;
        }
        return new PpoDiagnostics(state.Step, beta, learningRate, scores.Average(), klExact, klK1, klK3, update.Entropy,
            update.PolicyLoss, update.ValueLoss, update.KlLoss, update.ClipFraction, update.ApproxKl, explainedVariance, distinct);
    }

    /// <summary>KL_{t+1}: the exact KL at the state that token t opens (0 after the last token), which is what token t changes.</summary>
    private static Tensor KlOfNextState(Tensor tokenKl)
    {
        long length = tokenKl.shape[1];
        return cat([tokenKl.narrow(1, 1, length - 1), zeros_like(tokenKl.narrow(1, 0, 1))], 1);
    }

    private void Checkpoint(string fingerprint, ActorCritic actorCritic, AdamOptimizer optimizer, Generator generator, RunState state)
    {
        if (_options.CheckpointDirectory is not null)
        {
            PpoCheckpoint.Write(_options, fingerprint, actorCritic, optimizer, generator, state);
        }
    }

    /// <summary>Checks the prompt column; the trained policy turns prompt rows into <see cref="Sampling.PolicySampleRow"/> rows.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        RewardDataChecks.RequireTokenColumn(inputSchema, _options.PromptColumnName, "PPO");
        return RewardSchemas.Of<Sampling.PolicySampleRow>(_ml);
    }

    private IReadOnlyList<int[]> ReadPrompts(IDataView data, string what)
    {
        var prompts = RewardDataChecks.ReadPrompts(data, _options.PromptColumnName, $"PPO on {what}");
        if (prompts[0].Length + _options.ResponseLength > _options.InitialPolicy!.Shape.Context)
        {
            throw new OverOptConfigurationException(
                $"prompts of {prompts[0].Length} tokens plus responses of {_options.ResponseLength} exceed the policy's context of {_options.InitialPolicy.Shape.Context}.",
                "responseLength", $"use responses of at most {_options.InitialPolicy.Shape.Context - prompts[0].Length} tokens.");
        }
        return prompts;
    }

    /// <summary>What a checkpoint restores besides weights, optimizer and generator.</summary>
    internal sealed class RunState
    {
        public int Step { get; set; }

        public double Beta { get; set; }

        public ScoreBaseline? Baseline { get; set; }

        public List<CurvePoint> Curve { get; set; } = [];

        public List<PpoDiagnostics> Diagnostics { get; set; } = [];
    }
}
