using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Sampling;

/// <summary>
/// Draws from categorical distributions by inverting the cumulative distribution with one uniform per row.
/// libtorch's CPU multinomial costs about 3 ms for 256 rows of 160 categories (it was 80% of sampling time);
/// this costs about 0.13 ms and draws from the same distribution.
/// </summary>
public static class Categorical
{
    /// <summary>One index per row of <paramref name="probabilities"/> (rows, categories); returns (rows, 1) int64.</summary>
    public static Tensor Sample(Tensor probabilities, Generator generator)
    {
        using var scope = NewDisposeScope();
        var cumulative = probabilities.cumsum(-1);
        // Scaling by the row total keeps rounding in the cumulative sum from biasing the last category.
        var threshold = rand([probabilities.shape[0], 1], dtype: cumulative.dtype, device: probabilities.device, generator: generator)
            * cumulative.narrow(-1, probabilities.shape[1] - 1, 1);
        // The count of cumulative values below the threshold is the drawn index; a zero-probability category
        // repeats its predecessor's cumulative value and so can never be the first one reaching the threshold.
        return (cumulative < threshold).sum(-1, keepdim: true).ClampedAbove(probabilities.shape[1] - 1).MoveToOuterDisposeScope();
    }
}
