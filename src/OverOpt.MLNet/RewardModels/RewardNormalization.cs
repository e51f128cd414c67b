using Microsoft.ML;
using Microsoft.ML.Transforms;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// The shift and scale that give pi_init's samples mean 0 and std 1 (the paper's R(0) = 0, unit variance), as an
/// ML.NET NormalizeMeanVariance transformer fitted on the raw scores, so that it saves with the model.
/// </summary>
internal static class RewardNormalization
{
    private sealed class RawScoreRow
    {
        public float Score { get; set; }
    }

    public static (ITransformer Normalizer, double Offset, double Scale) Fit(MLContext mlContext, float[] rawScores)
    {
        if (rawScores.Length < 2)
        {
            throw new ArgumentException("Normalization needs at least two pi_init samples.", nameof(rawScores));
        }
        if (rawScores.Any(s => !float.IsFinite(s)))
        {
            throw new OverOptConfigurationException(
                "a reward model gave a NaN or infinite score on pi_init's samples, so it cannot be normalized.", RewardScore.ScoreColumn,
                "retrain the reward model (lower its learning rate) or check its input.");
        }
        var data = mlContext.Data.LoadFromEnumerable(rawScores.Select(s => new RawScoreRow { Score = s }));
        var normalizer = mlContext.Transforms.NormalizeMeanVariance(RewardScore.ScoreColumn, fixZero: false).Fit(data);
        var affine = (NormalizingTransformer.AffineNormalizerModelParameters<float>)normalizer.GetNormalizerModelParameters(0);
        return (normalizer, affine.Offset, affine.Scale);
    }
}
