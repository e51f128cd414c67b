using OverOpt.MLNet.Curves;

namespace OverOpt.MLNet.Ppo;

/// <summary>
/// A point of an RL curve from the samples of one evaluation: means with 95% normal intervals over samples, and the
/// exact KL averaged over them. Shared by the PPO trainer and <see cref="RlCurveTransformer"/>.
/// </summary>
internal static class RlCurvePoints
{
    /// <summary>The point of <paramref name="key"/>'s curve (its method set to PPO) at <paramref name="step"/>, from the sample means.</summary>
    public static CurvePoint At(CurveKey key, double step, double[] kl, double[] proxy, double[] gold, double[]? rule)
    {
        double meanKl = kl.Average();
        return new CurvePoint
        {
            Key = key with { Method = OptimizationMethod.Ppo },
            N = 1,
            Step = step,
            Kl = meanKl,
            // RL's KL is measured either way: kl and kl_measured are both the exact one.
            KlMeasured = meanKl,
            D = Math.Sqrt(Math.Max(0, meanKl)),
            Scores = new CurveScores(ScoreInterval.OfSamples(proxy), ScoreInterval.OfSamples(gold), rule is null ? ScoreInterval.None : ScoreInterval.OfSamples(rule)),
        };
    }

    /// <summary>The point with pi_init's mean scores subtracted (R(0) = 0).</summary>
    public static CurvePoint Centre(CurvePoint raw, ScoreBaseline baseline)
    {
        var point = raw.Clone();
        point.Scores = raw.Scores.Minus(baseline.Proxy, baseline.Gold, baseline.Rule);
        return point;
    }
}
