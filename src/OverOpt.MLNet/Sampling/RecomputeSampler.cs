using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Sampling;

/// <summary>
/// Sampling without a cache: every step runs the model over the whole sequence so far. Quadratically slower;
/// it is the baseline that the cached <see cref="PolicySampler"/> is benchmarked against.
/// </summary>
public static class RecomputeSampler
{
    /// <summary>Response token ids (batch, response length), drawn exactly as <see cref="PolicySampler.Sample"/> draws them.</summary>
    public static Tensor Sample(GptModel policy, Tensor prompts, SamplingOptions options, Generator generator)
    {
        using var outer = NewDisposeScope();
        using var noGrad = no_grad();
        policy.eval();
        var sequence = prompts.clone();
        for (int t = 0; t < options.ResponseLength; t++)
        {
            using var step = NewDisposeScope();
            var logits = policy.forward(sequence);
            var last = logits.select(1, logits.shape[1] - 1).DividedBy(options.Temperature);
            var token = Categorical.Sample(softmax(last, -1), generator);
            var longer = cat([sequence, token], 1).MoveToOuterDisposeScope();
            sequence.Dispose();
            sequence = longer;
        }
        return sequence.narrow(1, prompts.shape[1], options.ResponseLength).contiguous().MoveToOuterDisposeScope();
    }
}
