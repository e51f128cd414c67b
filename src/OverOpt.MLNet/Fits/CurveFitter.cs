using OverOpt.MLNet.Curves;
namespace OverOpt.MLNet.Fits;

/// <summary>
/// Fits R(d) = alpha f(d) - beta g(d) by least squares (no intercept: R(0) = 0 by normalization), with f = d and
/// g = d^2 (best-of-n) or d ln d (RL). Points at d = 0 are left out, as in the paper.
/// </summary>
public static class CurveFitter
{
    /// <summary>The form at <paramref name="d"/>: d (alpha - beta d) for best-of-n, d (alpha - beta ln d) for RL; 0 for d &lt;= 0.</summary>
    public static double Evaluate(GoldCurveForm form, double alpha, double beta, double d)
        => d <= 0 ? 0 : d * (alpha - beta * (form == GoldCurveForm.BestOfN ? d : Math.Log(d)));

    /// <summary>(alpha, beta) minimizing squared error over the points with d &gt; 0.</summary>
    public static (double Alpha, double Beta) LeastSquares(GoldCurveForm form, IReadOnlyList<double> d, IReadOnlyList<double> gold)
    {
        double sff = 0, sfg = 0, sgg = 0, sfy = 0, sgy = 0;
        int used = 0;
        for (int i = 0; i < d.Count; i++)
        {
            if (!(d[i] > 0))
            {
                continue;
            }
            double f = d[i];
            double g = form == GoldCurveForm.BestOfN ? d[i] * d[i] : d[i] * Math.Log(d[i]);
            sff += f * f;
            sfg += f * g;
            sgg += g * g;
            sfy += f * gold[i];
            sgy += g * gold[i];
            used++;
        }
        double determinant = sff * sgg - sfg * sfg;
        if (used < 2 || Math.Abs(determinant) < 1e-12 * Math.Max(1, sff * sgg))
        {
            throw new ArgumentException($"A two-parameter fit needs at least two distinct points with d > 0; got {used}.", nameof(d));
        }
        // R = alpha f - beta g: solve the normal equations for (alpha, -beta).
        double alpha = (sfy * sgg - sgy * sfg) / determinant;
        double minusBeta = (sff * sgy - sfg * sfy) / determinant;
        return (alpha, -minusBeta);
    }

    /// <summary>
    /// Fits the mean curve and every bootstrap resample of it (rows of <paramref name="bootstrapGold"/>, one resample of
    /// prompts each), giving 95% percentile intervals for alpha, beta and the peak.
    /// </summary>
    public static GoldCurveFit Fit(GoldCurveForm form, IReadOnlyList<double> d, IReadOnlyList<double> gold, IReadOnlyList<double[]> bootstrapGold)
    {
        var (alpha, beta) = LeastSquares(form, d, gold);
        var alphas = new List<double>();
        var betas = new List<double>();
        var peaks = new List<double>();
        foreach (var resample in bootstrapGold)
        {
            var (a, b) = LeastSquares(form, d, resample);
            alphas.Add(a);
            betas.Add(b);
            peaks.Add(Peak(form, a, b).D);
        }
        alphas.Sort();
        betas.Sort();
        // A resample without a peak (beta <= 0) has its peak beyond every d: it counts as +infinity.
        var sortedPeaks = peaks.Select(p => double.IsNaN(p) ? double.PositiveInfinity : p).OrderBy(p => p).ToList();
        var (peakD, peakGold) = Peak(form, alpha, beta);
        return new GoldCurveFit
        {
            Form = form,
            Alpha = alpha,
            AlphaLow = Interval(alphas, 0.025),
            AlphaHigh = Interval(alphas, 0.975),
            Beta = beta,
            BetaLow = Interval(betas, 0.025),
            BetaHigh = Interval(betas, 0.975),
            RSquared = RSquared(form, alpha, beta, d, gold),
            PeakD = peakD,
            PeakDLow = NearestRank(sortedPeaks, 0.025),
            PeakDHigh = NearestRank(sortedPeaks, 0.975),
            PeakGold = peakGold,
            Points = d.Count(x => x > 0),
        };
    }

    /// <summary>Where the form peaks and its gold there: d* = alpha / (2 beta) and alpha^2 / (4 beta) for best-of-n, d* = exp(alpha / beta - 1) and beta d* for RL; both NaN where beta is not positive (no peak).</summary>
    public static (double D, double Gold) Peak(GoldCurveForm form, double alpha, double beta)
    {
        if (!(beta > 0))
        {
            return (double.NaN, double.NaN);
        }
        double d = form == GoldCurveForm.BestOfN ? alpha / (2 * beta) : Math.Exp(alpha / beta - 1);
        return (d, form == GoldCurveForm.BestOfN ? alpha * alpha / (4 * beta) : beta * d);
    }

    /// <summary>Coefficient of determination of the fitted form on the points with d &gt; 0.</summary>
    public static double RSquared(GoldCurveForm form, double alpha, double beta, IReadOnlyList<double> d, IReadOnlyList<double> gold)
    {
        var index = Enumerable.Range(0, d.Count).Where(i => d[i] > 0).ToArray();
        double mean = index.Average(i => gold[i]);
        double residual = index.Sum(i => Math.Pow(gold[i] - Evaluate(form, alpha, beta, d[i]), 2));
        double total = index.Sum(i => Math.Pow(gold[i] - mean, 2));
        return total > 0 ? 1 - residual / total : double.NaN;
    }

    private static double NearestRank(List<double> sorted, double q)
        => sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double Interval(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : Statistics.Quantile(sorted, q);
}
