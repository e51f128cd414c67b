using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Ppo;

public sealed partial class PpoTrainer
{
    /// <summary>One rollout, ready for the PPO epochs. <paramref name="ReferenceLogSoftmax"/> is set when the exact KL penalty's loss term is on.</summary>
    private sealed record Rollout(Tensor Sequences, long PromptLength, Tensor OldLogProbs, Tensor OldValues, Tensor Advantages, Tensor Returns,
        Tensor? ReferenceLogSoftmax, double KlWeight);

    private sealed record UpdateStatistics(double PolicyLoss, double ValueLoss, double KlLoss, double ClipFraction, double ApproxKl, double Entropy);

    private UpdateStatistics Update(ActorCritic actorCritic, AdamOptimizer optimizer, Generator generator, Rollout rollout, int step)
    {
        actorCritic.train();
        int miniBatch = Math.Max(1, _options.BatchSize / _options.MiniBatches);
        double policyLoss = 0, valueLoss = 0, klLoss = 0, clipFraction = 0, approxKl = 0, entropy = 0;
        int updates = 0;
        for (int epoch = 0; epoch < _options.PpoEpochs; epoch++)
        {
            var order = randperm(_options.BatchSize, generator: generator).to(rollout.Sequences.device);
            for (int start = 0; start < _options.BatchSize; start += miniBatch)
            {
                using var scope = NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(miniBatch, _options.BatchSize - start));
                var sequences = rollout.Sequences.index_select(0, index);
                var (logits, values) = actorCritic.Forward(sequences);
                var responseLogits = logits.narrow(1, rollout.PromptLength - 1, _options.ResponseLength).DividedBy(_options.Temperature);
                var logProbsAll = responseLogits.log_softmax(-1);
                var actions = sequences.narrow(1, rollout.PromptLength, _options.ResponseLength).unsqueeze(-1);
                var logProbs = logProbsAll.gather(-1, actions).squeeze(-1);
                var newValues = values.narrow(1, rollout.PromptLength - 1, _options.ResponseLength);
                var advantage = rollout.Advantages.index_select(0, index);
                var oldLogProb = rollout.OldLogProbs.index_select(0, index);
                var oldValue = rollout.OldValues.index_select(0, index);
                var target = rollout.Returns.index_select(0, index);

                var ratio = (logProbs - oldLogProb).exp();
                var surrogate = maximum(-advantage * ratio, -advantage * ratio.ClampedTo(1 - _options.ClipRange, 1 + _options.ClipRange)).mean();
                var clippedValues = oldValue.Plus((newValues - oldValue).ClampedTo(-_options.ValueClipRange, _options.ValueClipRange));
                var valueError = maximum((newValues - target).Squared(), (clippedValues - target).Squared()).mean().Times(0.5);
                var loss = surrogate.Plus(valueError.Times(_options.ValueCoefficient));
                // The exact KL penalty's direct part: d/dtheta of sum_t KL_t at the sampled states. A mean over tokens, as
                // the surrogate is, so that KlWeight (beta over the advantage scale) keeps reward and penalty in proportion.
                Tensor? klTerm = null;
                if (rollout.ReferenceLogSoftmax is { } referenceAll)
                {
                    var reference = referenceAll.index_select(0, index);
                    klTerm = (logProbsAll.exp() * (logProbsAll - reference)).sum(-1).mean();
                    loss = loss.Plus(klTerm.Times(rollout.KlWeight));
                }
                // The statistics before the step, from this forward pass, read with the loss in one copy rather than
                // an .item() each.
                Tensor statistics;
                using (no_grad())
                {
                    statistics = stack(
                    [
                        loss, surrogate, valueError, klTerm ?? zeros_like(loss),
                        ratio.Minus(1L).abs().GreaterThan(_options.ClipRange).to_type(ScalarType.Float32).mean(),
                        (logProbs - oldLogProb).Squared().Times(0.5).mean(),
                        (-(logProbsAll.exp() * logProbsAll).sum(-1)).mean(),
                    ]).cpu();
                }
                var read = statistics.data<float>().ToArray();
                if (!float.IsFinite(read[0]))
                {
                    throw new PpoDivergedException(step, "the PPO loss became NaN or infinite");
                }
                optimizer.ZeroGrad();
                loss.backward();
                nn.utils.clip_grad_norm_(actorCritic.parameters(), _options.GradientClip);
                optimizer.Step();

                policyLoss += read[1];
                valueLoss += read[2];
                klLoss += klTerm is null ? 0 : read[3] * _options.ResponseLength;
                clipFraction += read[4];
                approxKl += read[5];
                entropy += read[6];
                updates++;
            }
        }
        return new UpdateStatistics(policyLoss / updates, valueLoss / updates, klLoss / updates, clipFraction / updates, approxKl / updates, entropy / updates);
    }
}
