using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Sampling;

/// <summary>
/// Batched ancestral sampling with a key/value cache. The policy decodes one token per step from its cache; the
/// reference scores the finished sequences in one causal pass, which is cheaper than decoding it step by step.
/// </summary>
public static class PolicySampler
{
    /// <summary>Samples one response per row of <paramref name="prompts"/> (batch, prompt length; int64).</summary>
    /// <param name="policy">The sampling policy pi.</param>
    /// <param name="reference">pi_init. When it is the same object as <paramref name="policy"/>, its log-probabilities are the policy's and the KL is exactly zero.</param>
    /// <param name="prompts">Prompts, all of one length.</param>
    /// <param name="options">Response length and temperature.</param>
    /// <param name="generator">The only source of randomness: the same generator state gives the same samples.</param>
    public static SampleBatch Sample(GptModel policy, GptModel reference, Tensor prompts, SamplingOptions options, Generator generator)
    {
        int responseLength = options.ResponseLength;
        long batch = prompts.shape[0];
        long promptLength = prompts.shape[1];
        if (promptLength + responseLength > policy.Shape.Context)
        {
            throw new ArgumentException($"prompt ({promptLength}) plus response ({responseLength}) tokens exceed the policy's context of {policy.Shape.Context}.", nameof(options));
        }
        using var outer = NewDisposeScope();
        // Inference mode: nothing sampled is ever differentiated; what PPO keeps of a batch it only reads or copies
        // (an inference tensor cannot be saved for a backward pass). Timed against no_grad it made no measurable
        // difference (docs/speed.md), but it says what the block is.
        using var inference = inference_mode();
        policy.eval();
        reference.eval();
        var device = prompts.device;
        var responses = zeros([batch, responseLength], ScalarType.Int64, device);
        var logits = empty([batch, responseLength, policy.Shape.VocabularySize], ScalarType.Float32, device);
        using (var cache = new KvCache(policy.Shape, batch, device))
        {
            var next = LastLogits(policy.Forward(prompts, cache));
            for (int t = 0; t < responseLength; t++)
            {
                using var step = NewDisposeScope();
                var scaled = next.DividedBy(options.Temperature);
                logits.select(1, t).copy_(scaled);
                var token = Categorical.Sample(softmax(scaled, -1), generator);
                responses.narrow(1, t, 1).copy_(token);
                if (t + 1 < responseLength)
                {
                    next.Dispose();
                    next = LastLogits(policy.Forward(token, cache)).MoveToOuterDisposeScope();
                }
            }
        }

        var logProbs = logits.log_softmax(-1);
        var referenceLogProbs = ReferenceEquals(policy, reference)
            ? logProbs
            : ReferenceLogits(reference, prompts, responses).DividedBy(options.Temperature).log_softmax(-1);
        var index = responses.unsqueeze(-1);
        var tokenLogProbs = logProbs.gather(-1, index).squeeze(-1);
        var tokenReferenceLogProbs = referenceLogProbs.gather(-1, index).squeeze(-1);
        // Exact KL at each position; rounding can leave -1e-9 where the true value is 0, and KL is never negative.
        var tokenKl = (logProbs.exp() * (logProbs - referenceLogProbs)).sum(-1).ClampedBelow(0.0);
        return new SampleBatch(
            prompts.clone().MoveToOuterDisposeScope(),
            responses.MoveToOuterDisposeScope(),
            tokenLogProbs.MoveToOuterDisposeScope(),
            tokenReferenceLogProbs.MoveToOuterDisposeScope(),
            tokenKl.MoveToOuterDisposeScope(),
            options.KeepLogits ? logits.MoveToOuterDisposeScope() : null,
            options.KeepLogits ? (ReferenceEquals(referenceLogProbs, logProbs) ? referenceLogProbs.clone() : referenceLogProbs).MoveToOuterDisposeScope() : null);
    }

    /// <summary>
    /// Samples <paramref name="samplesPerPrompt"/> responses to every prompt, in batches of <see cref="SamplingOptions.BatchSize"/>,
    /// and returns them prompt by prompt (all samples of prompt 0 first).
    /// </summary>
    public static IReadOnlyList<PolicySample> SampleAll(
        GptModel policy, GptModel reference, IReadOnlyList<int[]> prompts, int samplesPerPrompt, SamplingOptions options, Generator generator,
        IProgress<ProgressUpdate>? progress = null)
    {
        var rows = prompts.SelectMany(p => Enumerable.Repeat(p, samplesPerPrompt)).ToArray();
        var device = policy.parameters().First().device;
        var samples = new List<PolicySample>(rows.Length);
        for (int start = 0; start < rows.Length; start += options.BatchSize)
        {
            using var scope = NewDisposeScope();
            var chunk = rows.Skip(start).Take(options.BatchSize).ToArray();
            var promptTensor = PromptTensor(chunk, device);
            using var batch = Sample(policy, reference, promptTensor, options, generator);
            samples.AddRange(batch.ToSamples());
            progress?.Report(new ProgressUpdate("sample", samples.Count, rows.Length));
        }
        return samples;
    }

    /// <summary>Stacks equal-length prompts into a (count, length) int64 tensor on <paramref name="device"/>.</summary>
    public static Tensor PromptTensor(IReadOnlyList<int[]> prompts, Device device) => TokenTensors.Stack(prompts, device);

    /// <summary>Logits of <paramref name="model"/> at the positions that predict each response token, from one causal pass.</summary>
    public static Tensor ReferenceLogits(GptModel model, Tensor prompts, Tensor responses)
    {
        long promptLength = prompts.shape[1];
        long responseLength = responses.shape[1];
        using var sequence = cat([prompts, responses], 1);
        using var all = model.forward(sequence);
        return all.narrow(1, promptLength - 1, responseLength).contiguous();
    }

    private static Tensor LastLogits(Tensor logits)
    {
        using (logits)
        {
            return logits.select(1, logits.shape[1] - 1).contiguous();
        }
    }
}
