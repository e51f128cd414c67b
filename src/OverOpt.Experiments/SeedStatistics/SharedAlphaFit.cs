using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.SeedStatistics;

/// <summary>
/// One form fitted to several curves at once with a single alpha and a beta per curve: R_j(d) = alpha f(d) - beta_j g(d).
/// The paper holds alpha_RL fixed across reward-model sizes, so that the size trend shows in beta_RL alone.
/// </summary>
public static class SharedAlphaFit
{
    /// <summary>Least squares over every point with d &gt; 0 of every curve.</summary>
    public static (double Alpha, double[] Betas) LeastSquares(GoldCurveForm form, IReadOnlyList<IReadOnlyList<CurvePoint>> curves)
    {
        // Normal equations of (alpha, beta_1..beta_J): an arrowhead system, solved by eliminating each beta_j.
        double aa = 0, ab = 0;
        var cross = new double[curves.Count];
        var gg = new double[curves.Count];
        var gy = new double[curves.Count];
        for (int j = 0; j < curves.Count; j++)
        {
            foreach (var p in curves[j].Where(p => p.D > 0))
            {
                double f = p.D, g = form == GoldCurveForm.BestOfN ? p.D * p.D : p.D * Math.Log(p.D);
                aa += f * f;
                ab += f * p.GoldScore;
                cross[j] += f * g;
                gg[j] += g * g;
                gy[j] += g * p.GoldScore;
            }
            if (!(gg[j] > 0))
            {
                throw new ArgumentException($"Curve {j} has no point with d > 0 off d = 1 (where d ln d = 0); its beta cannot be fitted.", nameof(curves));
            }
        }
        // Row j: -cross_j alpha + gg_j beta_j = -gy_j (with R = alpha f - beta g).
        double denominator = aa - Enumerable.Range(0, curves.Count).Sum(j => cross[j] * cross[j] / gg[j]);
        double numerator = ab - Enumerable.Range(0, curves.Count).Sum(j => cross[j] * gy[j] / gg[j]);
        double alpha = numerator / denominator;
        var betas = Enumerable.Range(0, curves.Count).Select(j => (cross[j] * alpha - gy[j]) / gg[j]).ToArray();
        return (alpha, betas);
    }

    /// <summary>
    /// The shared-alpha fit of the seed-mean curves (one per configuration, e.g. per proxy), with seed-level intervals from
    /// the same fit done seed by seed (<paramref name="perSeed"/>[s][j]: seed s, curve j).
    /// </summary>
    public static IReadOnlyList<GoldCurveFit> Fit(GoldCurveForm form, IReadOnlyList<IReadOnlyList<CurvePoint>> meanCurves, IReadOnlyList<IReadOnlyList<IReadOnlyList<CurvePoint>>> perSeed)
    {
        var (alpha, betas) = LeastSquares(form, meanCurves);
        var seedFits = perSeed.Select(curves => LeastSquares(form, curves)).ToArray();
        return meanCurves.Select((curve, j) =>
            SeedInterval.Fit(form, alpha, betas[j], curve.Where(p => p.D > 0).ToArray(), seedFits.Select(f => (f.Alpha, f.Betas[j])).ToArray())).ToList();
    }
}
