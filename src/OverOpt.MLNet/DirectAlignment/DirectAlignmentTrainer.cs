using Microsoft.ML;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.DirectAlignment;

/// <summary>
/// Direct alignment (DPO, IPO, SLiC; Rafailov et al. 2024): fits the policy to preference rows with no reward model, the
/// reference pi_init, and evaluates it along training (log-spaced optimizer steps) as PPO is evaluated: gold, the rule
/// and the exact KL from pi_init on fresh samples of the evaluation prompts; its "proxy" is the implicit reward
/// beta * log(pi / pi_init) of each sample. The curve's method is <see cref="OptimizationMethod.DirectAlignment"/>, its
/// proxy the loss's name and its KL coefficient beta.
/// </summary>
public sealed partial class DirectAlignmentTrainer : IEstimator<DirectAlignmentTransformer>
{
    private readonly MLContext _ml;
    private readonly Options _options;

    /// <summary>Use <c>mlContext.Optimization().DirectAlignment</c>.</summary>
    public DirectAlignmentTrainer(MLContext mlContext, Options options)
    {
        TorchRuntime.EnsureLoaded();
        options.Validate();
        _ml = mlContext;
        _options = options;
    }

    /// <summary>Trains for <see cref="Options.Epochs"/> passes over the preference rows of <paramref name="input"/>.</summary>
    public DirectAlignmentTransformer Fit(IDataView input)
    {
        var pairs = PreferenceData.ReadPairs(_ml, input, _options.Columns, $"direct alignment '{_options.Name}'");
        var reference = _options.InitialPolicy!;
        var (chosen, rejected) = Sequences(pairs, reference);
        long promptLength = pairs[0].PromptTokens.Length, responseLength = pairs[0].ChosenTokens.Length;
        var evaluation = RewardDataChecks.ReadPrompts(_options.EvaluationData!, _options.PromptColumnName, $"direct alignment '{_options.Name}' (evaluation prompts)");
        var policy = reference.Clone();
        try
        {
            // The order of pairs is drawn on the host (it indexes host arrays), whatever the device.
            using var generator = new Generator((ulong)_options.Seed);
            var (chosenReference, rejectedReference) = ReferenceLogProbs(reference.Model, chosen, rejected, promptLength, responseLength);
            using var chosenReferenceScope = chosenReference;
            using var rejectedReferenceScope = rejectedReference;
            int perEpoch = (pairs.Count + _options.BatchSize - 1) / _options.BatchSize;
            int steps = perEpoch * _options.Epochs;
            var schedule = new HashSet<int>(Ppo.EvaluationSchedule.LogSpaced(steps, _options.EvaluationPoints));
            var sampling = new SamplingOptions { ResponseLength = (int)responseLength, Temperature = 1.0, BatchSize = Math.Max(_options.BatchSize, 64) };
            var start = Evaluate(policy, reference, evaluation, sampling, step: 0);
            var baseline = new Ppo.ScoreBaseline(start.ProxyScore, start.GoldScore, start.RuleScore);
            var curve = new List<CurvePoint> { Ppo.RlCurvePoints.Centre(start, baseline) };
            var log = new List<DirectAlignmentStep>();
            using var optimizer = new AdamOptimizer(policy.Model.parameters(), _options.LearningRate, epsilon: 1e-8);
            policy.Model.train();
            int step = 0;
            for (int epoch = 0; epoch < _options.Epochs; epoch++)
            {
                using var order = randperm(pairs.Count, generator: generator);
                var indices = order.data<long>().ToArray();
                for (int first = 0; first < pairs.Count; first += _options.BatchSize)
                {
                    step++;
                    var batch = indices.AsSpan(first, Math.Min(_options.BatchSize, pairs.Count - first)).ToArray();
                    log.Add(Update(policy.Model, optimizer, chosen, rejected, chosenReference, rejectedReference, batch, promptLength, responseLength, step));
                    _options.Progress?.Report(new ProgressUpdate(_options.Name, step, steps, $"loss {log[^1].Loss:F4}, accuracy {log[^1].Accuracy:F3}"));
                    if (schedule.Contains(step))
                    {
                        policy.Model.eval();
                        curve.Add(Ppo.RlCurvePoints.Centre(Evaluate(policy, reference, evaluation, sampling, step), baseline));
                        policy.Model.train();
                    }
                }
            }
            policy.Model.eval();
            return new DirectAlignmentTransformer(_ml, policy, reference, curve, log, perEpoch, _options.Seed, (int)responseLength);
        }
        catch
        {
            policy.Dispose();
            throw;
        }
        finally
        {
            chosen.Dispose();
            rejected.Dispose();
        }
    }

    /// <summary>One optimizer step on the pairs <paramref name="batch"/>: the margins of chosen over rejected log-ratios, the loss, its gradient.</summary>
    private DirectAlignmentStep Update(GptModel model, AdamOptimizer optimizer, Tensor chosen, Tensor rejected, Tensor chosenReference, Tensor rejectedReference,
        long[] batch, long promptLength, long responseLength, int step)
    {
        using var scope = NewDisposeScope();
        var index = tensor(batch, device: chosen.device);
        var sequences = cat([chosen.index_select(0, index), rejected.index_select(0, index)], 0);
        var logProbs = SequenceLogProbs(model, sequences, promptLength, responseLength);
        var margin = logProbs.narrow(0, 0, batch.Length) - chosenReference.index_select(0, index)
            - (logProbs.narrow(0, batch.Length, batch.Length) - rejectedReference.index_select(0, index));
        var loss = DirectAlignmentObjective.Loss(margin, _options.Loss, _options.Beta).mean();
        double lossValue = loss.item<float>();
        if (!double.IsFinite(lossValue))
        {
            throw new InvalidOperationException($"direct alignment '{_options.Name}' diverged at step {step}: the loss is {lossValue}. Fix: lower learningRate.");
        }
        optimizer.ZeroGrad();
        loss.backward();
        nn.utils.clip_grad_norm_(model.parameters(), _options.GradientClip);
        optimizer.Step();
        using (no_grad())
        {
            return new DirectAlignmentStep(step, lossValue, margin.GreaterThan(0).to_type(ScalarType.Float32).mean().item<float>(), margin.mean().item<float>());
        }
    }

    /// <summary>log pi(response | prompt) of each sequence (prompt then response), summed over the response's tokens.</summary>
    internal static Tensor SequenceLogProbs(GptModel model, Tensor sequences, long promptLength, long responseLength)
    {
        var logits = model.forward(sequences).narrow(1, promptLength - 1, responseLength);
        var tokens = sequences.narrow(1, promptLength, responseLength).unsqueeze(-1);
        return logits.log_softmax(-1).gather(-1, tokens).squeeze(-1).sum(1);
    }

    private (Tensor Chosen, Tensor Rejected) ReferenceLogProbs(GptModel reference, Tensor chosen, Tensor rejected, long promptLength, long responseLength)
    {
        using var _ = no_grad();
        reference.eval();
        Tensor Of(Tensor all)
        {
            var parts = new List<Tensor>();
            for (long first = 0; first < all.shape[0]; first += 256)
            {
                using var scope = NewDisposeScope();
                parts.Add(SequenceLogProbs(reference, all.narrow(0, first, Math.Min(256, all.shape[0] - first)), promptLength, responseLength).MoveToOuterDisposeScope());
            }
            var joined = cat(parts, 0);
            parts.ForEach(p => p.Dispose());
            return joined;
        }
        return (Of(chosen), Of(rejected));
    }

    /// <summary>Prompt-then-response sequences of every pair as two int64 tensors; every pair must have the same lengths, within the policy's context.</summary>
    private (Tensor Chosen, Tensor Rejected) Sequences(IReadOnlyList<ComparisonRow> pairs, Policy policy)
    {
        int promptLength = pairs[0].PromptTokens.Length, responseLength = pairs[0].ChosenTokens.Length;
        int odd = pairs.ToList().FindIndex(p => p.PromptTokens.Length != promptLength || p.ChosenTokens.Length != responseLength || p.RejectedTokens.Length != responseLength);
        if (odd >= 0)
        {
            throw new OverOptConfigurationException($"pair {odd} has another prompt or response length than pair 0 ({promptLength} and {responseLength} tokens).",
                _options.ResponseColumnName, "give direct alignment pairs of one prompt length and one response length, as the pipeline's comparisons are.");
        }
        if (promptLength + responseLength > policy.Shape.Context)
        {
            throw new OverOptConfigurationException($"prompts of {promptLength} tokens plus responses of {responseLength} exceed the policy's context of {policy.Shape.Context}.",
                _options.ResponseColumnName, "use shorter prompts or responses, or a policy with a longer context.");
        }
        Tensor Stack(Func<ComparisonRow, int[]> response)
            => TokenTensors.Stack(pairs.Select(p => p.PromptTokens.Concat(response(p)).ToArray()).ToArray(), policy.Device);
        return (Stack(p => p.ChosenTokens), Stack(p => p.RejectedTokens));
    }

    /// <summary>Gold, the rule, the implicit reward and the exact KL on fresh samples of the evaluation prompts.</summary>
    private CurvePoint Evaluate(Policy policy, Policy reference, IReadOnlyList<int[]> prompts, SamplingOptions sampling, int step)
    {
        using var generator = new Generator(SeedStreams.PpoEvaluation(_options.Seed, step), policy.Device);
        var chosen = Enumerable.Range(0, _options.EvaluationSamples).Select(i => prompts[i % prompts.Count]).ToArray();
        var samples = PolicySampler.SampleAll(policy.Model, reference.Model, chosen, 1, sampling, generator);
        var responses = samples.Select(s => s.Response).ToArray();
        var implicitReward = samples.Select(s => _options.Beta * s.LogRatio).ToArray();
        var gold = _options.Gold!.Score(chosen, responses).Select(v => (double)v).ToArray();
        var rule = _options.Rule?.Score(chosen, responses).Select(v => (double)v).ToArray();
        var key = new CurveKey { Proxy = _options.Name, ProxyKind = ImplicitRewardKind, KlCoefficient = _options.Beta, Seed = _options.Seed };
        var point = Ppo.RlCurvePoints.At(key, step, samples.Select(s => s.Kl).ToArray(), implicitReward, gold, rule);
        point.Key = point.Key with { Method = OptimizationMethod.DirectAlignment };
        point.K1Estimate = samples.Average(s => s.LogRatio);
        return point;
    }

    /// <summary>The proxy kind of direct alignment curves: the implicit reward beta * log(pi / pi_init).</summary>
    public const string ImplicitRewardKind = "implicit";

    /// <summary>The input's preference columns; the trained policy samples responses for prompt rows.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        PreferenceData.RequireColumns(inputSchema, _options.Columns, $"direct alignment '{_options.Name}'");
        return RewardModels.RewardSchemas.Of<PolicySampleRow>(_ml);
    }
}
