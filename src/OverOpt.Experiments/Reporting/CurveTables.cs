using OverOpt.Experiments.Files;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.Reporting;

/// <summary>
/// curves.csv and fits.csv: one schema for every method. Both begin with the curve's key (<see cref="CurveKey"/>:
/// method, policy, proxy, proxy_kind, proxy_params, comparisons, kl_coefficient, seed; proxy_seed after the values), so
/// that a fit joins its curve on those columns. curves.csv ends with proxy_disagreement (PPO against an ensemble only).
/// </summary>
public static class CurveTables
{
    /// <summary>curves.csv.</summary>
    public static void WriteCurves(string path, IEnumerable<CurvePoint> points)
    {
        var table = new CsvTable("method", "policy", "proxy", "proxy_kind", "proxy_params", "comparisons", "kl_coefficient", "seed", "n", "step", "kl", "kl_measured", "d",
            "proxy_score", "proxy_ci_low", "proxy_ci_high", "gold_score", "gold_ci_low", "gold_ci_high", "rule_score", "rule_ci_low", "rule_ci_high",
            "k1_estimate", "k3_estimate", "proxy_seed", "proxy_disagreement");
        foreach (var p in points)
        {
            var (k, s) = (p.Key, p.Scores);
            table.Add(k.Method.Label(), k.Policy, k.Proxy, k.ProxyKind, k.ProxyParams, k.Comparisons, k.KlCoefficient, k.Seed.ToString(), p.N, p.Step, p.Kl, p.KlMeasured, p.D,
                s.Proxy.Mean, s.Proxy.Low, s.Proxy.High, s.Gold.Mean, s.Gold.Low, s.Gold.High, s.Rule.Mean, s.Rule.Low, s.Rule.High,
                p.K1Estimate, p.K3Estimate, k.ProxySeed, p.ProxyDisagreement);
        }
        table.Save(path);
    }

    /// <summary>
    /// fits.csv: one row per fit, also where a curve could not be fitted (its numbers empty), so that the file's rows do
    /// not depend on how one run came out. <c>alpha_shared</c> marks R_RL fits with one alpha across the proxies.
    /// </summary>
    public static void WriteFits(string path, IEnumerable<FitRow> fits)
    {
        var table = new CsvTable("method", "form", "alpha_shared", "policy", "proxy", "proxy_kind", "proxy_params", "comparisons", "kl_coefficient", "seed", "alpha", "alpha_low", "alpha_high",
            "beta", "beta_low", "beta_high", "r_squared", "peak_d", "peak_d_low", "peak_d_high", "peak_gold", "points", "proxy_seed");
        foreach (var (k, fit, shared) in fits)
        {
            string form = k.Method == OptimizationMethod.BestOfN ? "d(alpha - beta d)" : "d(alpha - beta ln d)";
            var f = fit ?? new GoldCurveFit { Alpha = double.NaN, AlphaLow = double.NaN, AlphaHigh = double.NaN, Beta = double.NaN, BetaLow = double.NaN, BetaHigh = double.NaN,
                RSquared = double.NaN, PeakD = double.NaN, PeakDLow = double.NaN, PeakDHigh = double.NaN, PeakGold = double.NaN };
            table.Add(k.Method.Label(), form, shared, k.Policy, k.Proxy, k.ProxyKind, k.ProxyParams, k.Comparisons, k.KlCoefficient, k.Seed.ToString(),
                f.Alpha, f.AlphaLow, f.AlphaHigh, f.Beta, f.BetaLow, f.BetaHigh, f.RSquared, f.PeakD, f.PeakDLow, f.PeakDHigh, f.PeakGold, f.Points, k.ProxySeed);
        }
        table.Save(path);
    }
}
