using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Fits;

namespace OverOpt.MLNet.Reporting;

/// <summary>curves.csv and fits.csv: one schema for every method (best-of-n now, RL later).</summary>
public static class CurveTables
{
    public static void WriteCurves(string path, IEnumerable<CurvePoint> points)
    {
        var table = new CsvTable("method", "proxy", "proxy_params", "comparisons", "seed", "n", "step", "kl", "kl_measured", "d",
            "proxy_score", "proxy_ci_low", "proxy_ci_high", "gold_score", "gold_ci_low", "gold_ci_high", "k1_estimate", "k3_estimate");
        foreach (var p in points)
        {
            table.Add(p.Method, p.Proxy, p.ProxyParams, p.Comparisons, p.Seed, p.N, p.Step, p.Kl, p.KlMeasured, p.D,
                p.ProxyScore, p.ProxyCiLow, p.ProxyCiHigh, p.GoldScore, p.GoldCiLow, p.GoldCiHigh, p.K1Estimate, p.K3Estimate);
        }
        table.Save(path);
    }

    public static void WriteFits(string path, IEnumerable<(string Method, CurvePoint Label, GoldCurveFit Fit)> fits)
    {
        var table = new CsvTable("method", "form", "proxy", "proxy_params", "comparisons", "seed", "alpha", "alpha_low", "alpha_high",
            "beta", "beta_low", "beta_high", "r_squared", "peak_d", "peak_d_low", "peak_d_high", "peak_gold", "points");
        foreach (var (method, label, fit) in fits)
        {
            string form = fit.Form == GoldCurveForm.BestOfN ? "d(alpha - beta d)" : "d(alpha - beta ln d)";
            table.Add(method, form, label.Proxy, label.ProxyParams, label.Comparisons, label.Seed, fit.Alpha, fit.AlphaLow, fit.AlphaHigh,
                fit.Beta, fit.BetaLow, fit.BetaHigh, fit.RSquared, fit.PeakD, fit.PeakDLow, fit.PeakDHigh, fit.PeakGold, fit.Points);
        }
        table.Save(path);
    }
}
