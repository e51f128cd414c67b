using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.SeedStatistics;

/// <summary>
/// The mean of one configuration's curves over seeds, point by point (every seed evaluates at the same steps or n):
/// scores and KL averaged, d = sqrt(mean KL), intervals seed-level (<see cref="SeedInterval"/>), rows keyed
/// <see cref="CurveSeed.Mean"/>. Its fit is least squares on the mean curve, with intervals from the per-seed fits.
/// </summary>
public static class SeedMeanCurve
{
    public static IReadOnlyList<CurvePoint> Of(IReadOnlyList<IReadOnlyList<CurvePoint>> seeds)
    {
        if (seeds.Count == 0)
        {
            throw new ArgumentException("No seeds to average.", nameof(seeds));
        }
        int count = seeds.Min(s => s.Count);
        var mean = new List<CurvePoint>(count);
        for (int k = 0; k < count; k++)
        {
            var at = seeds.Select(s => s[k]).ToArray();
            var point = at[0].Clone();
            point.Key = point.Key with { Seed = CurveSeed.Mean };
            point.Kl = at.Average(p => p.Kl);
            point.KlMeasured = at.Average(p => p.KlMeasured);
            point.K1Estimate = at.Average(p => p.K1Estimate);
            point.K3Estimate = at.Average(p => p.K3Estimate);
            point.ProxyDisagreement = at.Average(p => p.ProxyDisagreement);
            point.D = Math.Sqrt(point.Kl);
            point.Scores = new CurveScores(SeedInterval.Of(at.Select(p => p.ProxyScore)), SeedInterval.Of(at.Select(p => p.GoldScore)), SeedInterval.Of(at.Select(p => p.RuleScore)));
            mean.Add(point);
        }
        return mean;
    }

    /// <summary>The form fitted to the mean curve; alpha, beta and peak intervals are seed-level, from <paramref name="perSeed"/> fits.</summary>
    public static GoldCurveFit? Fit(GoldCurveForm form, IReadOnlyList<CurvePoint> meanCurve, IReadOnlyList<GoldCurveFit?> perSeed)
    {
        var usable = meanCurve.Where(p => p.D > 0).ToArray();
        if (usable.Select(p => p.D).Distinct().Count() < 2)
        {
            return null;
        }
        double alpha, beta;
        try
        {
            (alpha, beta) = CurveFitter.LeastSquares(form, usable.Select(p => p.D).ToArray(), usable.Select(p => p.GoldScore).ToArray());
        }
        catch (ArgumentException)
        {
            return null;
        }
        var seeds = perSeed.Where(f => f is not null).Select(f => (f!.Alpha, f.Beta)).ToArray();
        return SeedInterval.Fit(form, alpha, beta, usable, seeds);
    }
}
