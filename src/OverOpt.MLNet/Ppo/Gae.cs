using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Ppo;

/// <summary>Generalized advantage estimation over fixed-length responses (the episode ends at the last token).</summary>
public static class Gae
{
    /// <param name="rewards">(batch, length) per-token rewards.</param>
    /// <param name="values">(batch, length) value estimates of the states before each token.</param>
    /// <param name="gamma">Discount (1 in RLHF).</param>
    /// <param name="lambda">GAE lambda (0.95).</param>
    /// <returns>Advantages and returns (advantages + values), both (batch, length).</returns>
    public static (Tensor Advantages, Tensor Returns) Compute(Tensor rewards, Tensor values, double gamma, double lambda)
    {
        using var scope = NewDisposeScope();
        long length = rewards.shape[1];
        var advantages = new Tensor[length];
        Tensor next = zeros_like(rewards.select(1, 0));
        Tensor nextValue = zeros_like(next);
        for (long t = length - 1; t >= 0; t--)
        {
            var delta = rewards.select(1, t).Plus(nextValue.Times(gamma)) - values.select(1, t);
            next = delta.Plus(next.Times(gamma * lambda));
            advantages[t] = next;
            nextValue = values.select(1, t);
        }
        var stacked = stack(advantages, 1);
        return (stacked.MoveToOuterDisposeScope(), stacked.Plus(values).MoveToOuterDisposeScope());
    }

    /// <summary>(x - mean) / std over all elements, as advantage whitening does; <paramref name="scale"/> is the divisor used.</summary>
    public static Tensor Whiten(Tensor x, out double scale)
    {
        scale = x.std().item<float>() + 1e-8;
        return (x - x.mean()).DividedBy(scale);
    }
}
