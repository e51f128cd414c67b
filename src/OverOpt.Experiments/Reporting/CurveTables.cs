using OverOpt.Experiments.Files;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.Reporting;

/// <summary>curves.csv and fits.csv: one schema for every method (best-of-n now, RL later).</summary>
public static class CurveTables
{
    /// <summary>
    /// curves.csv; <paramref name="proxySeed"/> gives each point's <c>proxy_seed</c> (the seed its proxy was trained
    /// with; empty where it returns null, and everywhere without it).
    /// </summary>
    public static void WriteCurves(string path, IEnumerable<CurvePoint> points, Func<CurvePoint, int?>? proxySeed = null)
    {
        var table = new CsvTable("method", "policy", "proxy", "proxy_params", "comparisons", "kl_coefficient", "seed", "n", "step", "kl", "kl_measured", "d",
            "proxy_score", "proxy_ci_low", "proxy_ci_high", "gold_score", "gold_ci_low", "gold_ci_high", "rule_score", "rule_ci_low", "rule_ci_high",
            "k1_estimate", "k3_estimate", "proxy_seed");
        foreach (var p in points)
        {
            table.Add(p.Method, p.Policy, p.Proxy, p.ProxyParams, p.Comparisons, p.KlCoefficient, SeedLabel(p.Seed, p.IsSeedMean), p.N, p.Step, p.Kl, p.KlMeasured, p.D,
                p.ProxyScore, p.ProxyCiLow, p.ProxyCiHigh, p.GoldScore, p.GoldCiLow, p.GoldCiHigh, p.RuleScore, p.RuleCiLow, p.RuleCiHigh,
                p.K1Estimate, p.K3Estimate, proxySeed?.Invoke(p));
        }
        table.Save(path);
    }

    /// <summary>A seed as the tables write it: the number, or "mean" for a row that averages over seeds.</summary>
    public static string SeedLabel(int seed, bool isSeedMean) => isSeedMean ? "mean" : seed.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// fits.csv: one row per fit, also where a curve could not be fitted (its numbers empty), so that the file's rows do
    /// not depend on how one run came out. <c>alpha_shared</c> marks R_RL fits with one alpha across the proxies;
    /// <c>proxy_seed</c> is as in <see cref="WriteCurves"/>, from the fit's label point.
    /// </summary>
    public static void WriteFits(string path, IEnumerable<FitRow> fits, Func<CurvePoint, int?>? proxySeed = null)
    {
        var table = new CsvTable("method", "form", "alpha_shared", "policy", "proxy", "proxy_params", "comparisons", "kl_coefficient", "seed", "alpha", "alpha_low", "alpha_high",
            "beta", "beta_low", "beta_high", "r_squared", "peak_d", "peak_d_low", "peak_d_high", "peak_gold", "points", "proxy_seed");
        foreach (var (label, fit, shared) in fits)
        {
            string method = label.Method;
            string form = method == "bon" ? "d(alpha - beta d)" : "d(alpha - beta ln d)";
            var f = fit ?? new GoldCurveFit { Alpha = double.NaN, AlphaLow = double.NaN, AlphaHigh = double.NaN, Beta = double.NaN, BetaLow = double.NaN, BetaHigh = double.NaN,
                RSquared = double.NaN, PeakD = double.NaN, PeakDLow = double.NaN, PeakDHigh = double.NaN, PeakGold = double.NaN };
            table.Add(method, form, shared, label.Policy, label.Proxy, label.ProxyParams, label.Comparisons, label.KlCoefficient, SeedLabel(label.Seed, label.IsSeedMean),
                f.Alpha, f.AlphaLow, f.AlphaHigh, f.Beta, f.BetaLow, f.BetaHigh, f.RSquared, f.PeakD, f.PeakDLow, f.PeakDHigh, f.PeakGold, f.Points, proxySeed?.Invoke(label));
        }
        table.Save(path);
    }
}
