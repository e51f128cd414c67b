using Microsoft.ML;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Fits;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Progress;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Training;
using Microsoft.ML.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Ppo;

/// <summary>
/// KL-regularized PPO of a language-model policy against any <see cref="IRewardScorer"/>, recording proxy and gold
/// along the way. The recipe of lm-human-preferences and TRL: per-token reward -beta * kl_t plus the reward score at
/// the last token; a zero-initialized value head on the policy; GAE (gamma, lambda); whitened advantages; clipped
/// surrogate and clipped value losses; pi_init frozen; no dropout anywhere. The input is an IDataView of prompts
/// (a <c>PromptTokens</c> column of int[]).
/// </summary>
public sealed partial class PpoTrainer
{
    private readonly MLContext _ml;
    private readonly Options _options;

    public PpoTrainer(MLContext mlContext, Options options)
    {
        TorchRuntime.EnsureLoaded();
        options.Validate();
        _ml = mlContext;
        _options = options;
    }

    /// <summary>Trains for <see cref="Options.Steps"/> steps, resuming from the checkpoint folder when it holds a checkpoint of the same run.</summary>
    public PpoResult Fit(IDataView prompts)
    {
        var train = ReadPrompts(prompts, "the training prompts");
        var evaluation = _options.EvaluationData is null ? train : ReadPrompts(_options.EvaluationData, "Options.EvaluationData");
        var device = _options.Device ?? _options.InitialPolicy!.Device;
        var reference = _options.InitialPolicy!;
        var policy = reference.Clone();
        using var actorCritic = new ActorCritic(policy.Model);
        actorCritic.to(device);
        using var optimizer = optim.Adam(actorCritic.parameters(), _options.LearningRate, eps: 1e-5);
        using var generator = new Generator((ulong)_options.Seed, device);
        var state = new RunState { Beta = _options.KlCoefficient };
        bool resumed = PpoCheckpoint.TryRestore(_options, actorCritic, optimizer, generator, state);

        var sampling = new SamplingOptions { ResponseLength = _options.ResponseLength, Temperature = _options.Temperature, BatchSize = _options.BatchSize };
        if (state.Step == 0)
        {
            state.Curve.Add(Evaluate(policy, reference, evaluation, sampling, step: 0));
            Checkpoint(actorCritic, optimizer, generator, state);
        }
        while (state.Step < _options.Steps)
        {
            state.Step++;
            var diagnostics = Step(actorCritic, reference.Model, train, sampling, optimizer, generator, state);
            state.Diagnostics.Add(diagnostics);
            _options.Progress?.Report(new ProgressUpdate($"ppo {_options.Name}", state.Step, _options.Steps,
                $"score {diagnostics.MeanScore:F3}, KL {diagnostics.KlExact:F3}, beta {diagnostics.Beta:G3}"));
            if (state.Step % _options.EvaluationInterval == 0 || state.Step == _options.Steps)
            {
                state.Curve.Add(Evaluate(policy, reference, evaluation, sampling, state.Step));
                Checkpoint(actorCritic, optimizer, generator, state);
            }
        }
        actorCritic.eval();
        return new PpoResult(policy, state.Curve.ToList(), state.Diagnostics.ToList(), FitCurve(state.Curve), resumed);
    }

    private PpoDiagnostics Step(ActorCritic actorCritic, GptModel reference, IReadOnlyList<int[]> prompts, SamplingOptions sampling,
        OptimizerHelper optimizer, Generator generator, RunState state)
    {
        using var scope = NewDisposeScope();
        var device = reference.parameters().First().device;
        double learningRate = _options.AnnealLearningRate
            ? LearningRateSchedule.At(state.Step, _options.Steps, 0, _options.LearningRate)
            : _options.LearningRate;
        LearningRateSchedule.Apply(optimizer, learningRate);

        // Rollout: pi samples, pi_init scores, exact KL per token; all under no_grad inside the sampler.
        var chosen = randint(0, prompts.Count, [_options.BatchSize], ScalarType.Int64, generator: generator).cpu().data<long>().ToArray();
        var batchPrompts = chosen.Select(i => prompts[(int)i]).ToArray();
        using var promptTensor = PolicySampler.PromptTensor(batchPrompts, device);
        using var batch = PolicySampler.Sample(actorCritic.Policy, reference, promptTensor, sampling, generator);
        var responses = batch.Responses.cpu().to_type(ScalarType.Int32).data<int>().ToArray();
        var responseArrays = Enumerable.Range(0, _options.BatchSize).Select(b => responses.AsSpan(b * _options.ResponseLength, _options.ResponseLength).ToArray()).ToArray();
        var scores = _options.Reward!.Score(batchPrompts, responseArrays);
        if (scores.Any(s => !float.IsFinite(s)))
        {
            throw new PpoDivergedException(state.Step, $"the reward '{_options.Reward.Name}' returned NaN or infinity");
        }
        var sequences = cat([batch.Prompts, batch.Responses], 1);
        long promptLength = batch.Prompts.shape[1];
        Tensor oldValues;
        using (no_grad())
        {
            actorCritic.eval();
            oldValues = actorCritic.Forward(sequences).Values.narrow(1, promptLength - 1, _options.ResponseLength);
        }
        var logRatio = batch.LogProbs - batch.ReferenceLogProbs;
        var penaltyKl = _options.PenaltyEstimator == KlPenaltyEstimator.Exact ? batch.TokenKl : logRatio;
        var rewards = -state.Beta * penaltyKl;
        var scoreTensor = tensor(scores).to(device);
        rewards.select(1, _options.ResponseLength - 1).add_(scoreTensor);
        var (advantages, returns) = Gae.Compute(rewards, oldValues, _options.Gamma, _options.Lambda);
        var whitened = Gae.Whiten(advantages);
        double explainedVariance = 1 - (returns - oldValues).var().item<float>() / Math.Max(1e-8, returns.var().item<float>());

        var update = Update(actorCritic, optimizer, generator, sequences, promptLength, batch.LogProbs, oldValues, whitened, returns, state.Step);

        double klExact = batch.TokenKl.sum(1).mean().item<float>();
        double klK1 = logRatio.sum(1).mean().item<float>();
        double klK3 = ((-logRatio).exp() - 1 + logRatio).sum(1).mean().item<float>();
        double beta = state.Beta;
        if (_options.AdaptiveKlTarget is { } target)
        {
            // OpenAI's proportional controller, driven by the same exact KL that is logged.
            double error = Math.Clamp(klExact / target - 1, -0.2, 0.2);
            state.Beta *= 1 + error * _options.BatchSize / _options.AdaptiveKlHorizon;
        }
        return new PpoDiagnostics(state.Step, beta, learningRate, scores.Average(), klExact, klK1, klK3, update.Entropy,
            update.PolicyLoss, update.ValueLoss, update.ClipFraction, update.ApproxKl, explainedVariance);
    }

    private (double PolicyLoss, double ValueLoss, double ClipFraction, double ApproxKl, double Entropy) Update(
        ActorCritic actorCritic, OptimizerHelper optimizer, Generator generator, Tensor sequences, long promptLength,
        Tensor oldLogProbs, Tensor oldValues, Tensor advantages, Tensor returns, int step)
    {
        actorCritic.train();
        int miniBatch = Math.Max(1, _options.BatchSize / _options.MiniBatches);
        double policyLoss = 0, valueLoss = 0, clipFraction = 0, approxKl = 0, entropy = 0;
        int updates = 0;
        for (int epoch = 0; epoch < _options.PpoEpochs; epoch++)
        {
            var order = randperm(_options.BatchSize, generator: generator).to(sequences.device);
            for (int start = 0; start < _options.BatchSize; start += miniBatch)
            {
                using var scope = NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(miniBatch, _options.BatchSize - start));
                var (logits, values) = actorCritic.Forward(sequences.index_select(0, index));
                var responseLogits = logits.narrow(1, promptLength - 1, _options.ResponseLength) / _options.Temperature;
                var logProbsAll = responseLogits.log_softmax(-1);
                var actions = sequences.index_select(0, index).narrow(1, promptLength, _options.ResponseLength).unsqueeze(-1);
                var logProbs = logProbsAll.gather(-1, actions).squeeze(-1);
                var newValues = values.narrow(1, promptLength - 1, _options.ResponseLength);
                var advantage = advantages.index_select(0, index);
                var oldLogProb = oldLogProbs.index_select(0, index);
                var oldValue = oldValues.index_select(0, index);
                var target = returns.index_select(0, index);

                var ratio = (logProbs - oldLogProb).exp();
                var surrogate = maximum(-advantage * ratio, -advantage * ratio.clamp(1 - _options.ClipRange, 1 + _options.ClipRange)).mean();
                var clippedValues = oldValue + (newValues - oldValue).clamp(-_options.ValueClipRange, _options.ValueClipRange);
                var valueError = 0.5 * maximum((newValues - target).square(), (clippedValues - target).square()).mean();
                var loss = surrogate + _options.ValueCoefficient * valueError;
                double lossValue = loss.item<float>();
                if (!double.IsFinite(lossValue))
                {
                    throw new PpoDivergedException(step, "the PPO loss became NaN or infinite");
                }
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(actorCritic.parameters(), _options.GradientClip);
                optimizer.step();

                using (no_grad())
                {
                    policyLoss += surrogate.item<float>();
                    valueLoss += valueError.item<float>();
                    clipFraction += ((ratio - 1).abs() > _options.ClipRange).to_type(ScalarType.Float32).mean().item<float>();
                    approxKl += (0.5 * (logProbs - oldLogProb).square()).mean().item<float>();
                    entropy += (-(logProbsAll.exp() * logProbsAll).sum(-1)).mean().item<float>();
                }
                updates++;
            }
        }
        return (policyLoss / updates, valueLoss / updates, clipFraction / updates, approxKl / updates, entropy / updates);
    }

    /// <summary>Proxy and gold on fresh samples of held-out prompts, with 95% normal intervals; KL exact, summed over the response.</summary>
    private CurvePoint Evaluate(Policy policy, Policy reference, IReadOnlyList<int[]> prompts, SamplingOptions sampling, int step)
    {
        // A generator of its own per evaluation, so evaluating never shifts the training randomness.
        using var generator = new Generator((ulong)(_options.Seed * 1_000_003L + step), policy.Device);
        var chosen = Enumerable.Range(0, _options.EvaluationSamples).Select(i => prompts[i % prompts.Count]).ToArray();
        var samples = PolicySampler.SampleAll(policy.Model, reference.Model, chosen, 1, sampling, generator);
        var responses = samples.Select(s => s.Response).ToArray();
        var proxy = _options.Reward!.Score(chosen, responses).Select(s => (double)s).ToArray();
        var gold = (_options.Gold ?? _options.Reward).Score(chosen, responses).Select(s => (double)s).ToArray();
        if (proxy.Concat(gold).Any(v => !double.IsFinite(v)))
        {
            throw new PpoDivergedException(step, "the reward or gold returned NaN or infinity while evaluating");
        }
        double kl = samples.Average(s => s.Kl);
        double Half(double[] values) => 1.96 * Statistics.StandardDeviation(values) / Math.Sqrt(values.Length);
        return new CurvePoint
        {
            Method = "ppo",
            Proxy = _options.Reward.Name,
            ProxyParams = _options.RewardParameters,
            Comparisons = _options.RewardComparisons,
            Seed = _options.Seed,
            N = 1,
            Step = step,
            Kl = kl,
            // RL's KL is measured either way: kl and kl_measured are both the exact one; k1 and k3 sit beside them.
            KlMeasured = kl,
            K1Estimate = samples.Average(s => s.LogRatio),
            K3Estimate = samples.Average(s => s.LogProbs.Zip(s.ReferenceLogProbs, (p, q) => Math.Exp(q - (double)p) - 1 + (p - (double)q)).Sum()),
            D = Math.Sqrt(kl),
            ProxyScore = proxy.Average(),
            ProxyCiLow = proxy.Average() - Half(proxy),
            ProxyCiHigh = proxy.Average() + Half(proxy),
            GoldScore = gold.Average(),
            GoldCiLow = gold.Average() - Half(gold),
            GoldCiHigh = gold.Average() + Half(gold),
        };
    }

    private static GoldCurveFit? FitCurve(IReadOnlyList<CurvePoint> curve)
    {
        var usable = curve.Where(p => p.D > 0).ToArray();
        if (usable.Length < 3)
        {
            return null;
        }
        var d = usable.Select(p => p.D).ToArray();
        var gold = usable.Select(p => p.GoldScore).ToArray();
        // Intervals from the evaluation noise: resample each point within its normal interval.
        var random = new Random(17);
        var resamples = Enumerable.Range(0, 500).Select(_ => usable.Select(p => p.GoldScore + (p.GoldCiHigh - p.GoldScore) / 1.96 * Gaussian(random)).ToArray()).ToList();
        return CurveFitter.Fit(GoldCurveForm.ReinforcementLearning, d, gold, resamples);
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private void Checkpoint(ActorCritic actorCritic, OptimizerHelper optimizer, Generator generator, RunState state)
    {
        if (_options.CheckpointDirectory is not null)
        {
            PpoCheckpoint.Write(_options, actorCritic, optimizer, generator, state);
        }
    }

    private IReadOnlyList<int[]> ReadPrompts(IDataView data, string what)
    {
        RewardDataChecks.RequireTokenColumn(data.Schema, RewardInput.PromptColumn, $"PPO on {what}");
        var prompts = data.GetColumn<int[]>(RewardInput.PromptColumn).ToArray();
        if (prompts.Length == 0)
        {
            throw new OverOptConfigurationException($"{what} hold no prompts.", RewardInput.PromptColumn, "give PPO at least one prompt.");
        }
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

        public List<CurvePoint> Curve { get; set; } = [];

        public List<PpoDiagnostics> Diagnostics { get; set; } = [];
    }
}
