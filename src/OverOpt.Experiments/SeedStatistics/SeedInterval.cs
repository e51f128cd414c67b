using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.SeedStatistics;

/// <summary>
/// Seed-level 95% intervals: mean +- t(0.975, s - 1) * sd / sqrt(s) over s seeds (Student's t, since s is small: with
/// 3 seeds t = 4.30). A single seed has no interval (NaN bounds).
/// </summary>
public static class SeedInterval
{
    private static readonly double[] T975 =
    [
        double.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>Student's t 0.975 quantile for <paramref name="degreesOfFreedom"/> (1.96 beyond 30).</summary>
    public static double StudentT975(int degreesOfFreedom)
        => degreesOfFreedom < 1 ? double.NaN : degreesOfFreedom < T975.Length ? T975[degreesOfFreedom] : Statistics.Normal975;

    /// <summary>Mean and 95% interval of per-seed values; non-finite values (e.g. a seed whose fit has no peak) are left out.</summary>
    public static ScoreInterval Of(IEnumerable<double> perSeed)
    {
        var values = perSeed.Where(double.IsFinite).ToArray();
        if (values.Length == 0)
        {
            return ScoreInterval.None;
        }
        double mean = values.Average();
        if (values.Length == 1)
        {
            return new(mean, double.NaN, double.NaN);
        }
        double half = StudentT975(values.Length - 1) * Statistics.StandardDeviation(values) / Math.Sqrt(values.Length);
        return new(mean, mean - half, mean + half);
    }

    /// <summary>
    /// The fit (alpha, beta) of a seed-mean curve's points with d &gt; 0, its alpha, beta and peak intervals seed-level,
    /// from the same fit done on each seed's curve.
    /// </summary>
    public static GoldCurveFit Fit(GoldCurveForm form, double alpha, double beta, IReadOnlyList<CurvePoint> usable, IReadOnlyList<(double Alpha, double Beta)> perSeed)
    {
        var (_, alphaLow, alphaHigh) = Of(perSeed.Select(f => f.Alpha));
        var (_, betaLow, betaHigh) = Of(perSeed.Select(f => f.Beta));
        var (_, peakLow, peakHigh) = Of(perSeed.Select(f => CurveFitter.Peak(form, f.Alpha, f.Beta).D));
        var (peakD, peakGold) = CurveFitter.Peak(form, alpha, beta);
        return new GoldCurveFit
        {
            Form = form,
            Alpha = alpha,
            AlphaLow = alphaLow,
            AlphaHigh = alphaHigh,
            Beta = beta,
            BetaLow = betaLow,
            BetaHigh = betaHigh,
            RSquared = CurveFitter.RSquared(form, alpha, beta, usable.Select(p => p.D).ToArray(), usable.Select(p => p.GoldScore).ToArray()),
            PeakD = peakD,
            PeakDLow = peakLow,
            PeakDHigh = peakHigh,
            PeakGold = peakGold,
            Points = usable.Count,
        };
    }
}
