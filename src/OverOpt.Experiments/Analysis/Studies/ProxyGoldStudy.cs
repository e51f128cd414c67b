using System.Text;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Outcomes;
using OverOpt.MLNet.Curves;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// Proxy against gold (paper fig. 1, 8; spec findings 2 and 6) on the main slice (the main policy's transformer proxies
/// at the reward-model size study's comparison count, PPO without penalty): whether gold peaks and falls while the
/// proxy keeps rising, under best-of-n (each curve) and RL (each configuration's seed mean); gold against proxy for
/// both; and whether RL spends more KL than best-of-n to reach the same gold.
/// </summary>
public static class ProxyGoldStudy
{
    /// <summary>" (tf-1x4: 7 of 12, ...)": the count per size, where there are several, smallest first.</summary>
    private static string BySize(IReadOnlyList<(StudyCurve Curve, bool Holds)> verdicts)
    {
        var sizes = verdicts.GroupBy(v => (v.Curve.Params, v.Curve.Proxy)).OrderBy(g => g.Key.Params).ToList();
        return sizes.Count < 2 ? "" : $" ({string.Join(", ", sizes.Select(g => $"{g.Key.Proxy}: {g.Count(v => v.Holds)} of {g.Count()}"))})";
    }

    /// <summary>Fig. 8: gold against proxy score, best-of-n and RL, per size.</summary>
    public const string Figure = "study-gold-vs-proxy.png";

    private const string Title = "Proxy against gold, best-of-n against RL (fig. 1, 8)";

    /// <summary>Runs the study on <paramref name="data"/>, writing its figure into <paramref name="folder"/>.</summary>
    public static StudySection Run(StudyData data, string folder)
    {
        const string shape = "gold rises then falls while the proxy score keeps rising, under best-of-n and RL (fig. 1, 8)";
        const string kl = "RL spends more KL than best-of-n to reach the same gold (fig. 8, 14)";
        var all = data.Curves.Transformers().ToList();
        string? policy = MainPolicy(all.Where(c => c.Method == OptimizationMethod.BestOfN)) ?? MainPolicy(all);
        var atPolicy = all.Where(c => c.Policy == policy).ToList();
        long? count = SizeCount(atPolicy.Where(c => c.Method == OptimizationMethod.BestOfN)) ?? SizeCount(atPolicy);
        var bon = atPolicy.Where(c => c.Method == OptimizationMethod.BestOfN && c.Comparisons == count).ToList();
        var ppo = atPolicy.Where(c => c.Method == OptimizationMethod.Ppo && c.Comparisons == count && c.KlCoefficient == 0).ToList();
        var text = new StringBuilder();
        if (bon.Count == 0 && ppo.Count == 0)
        {
            const string why = "the sweep has no best-of-n or unpenalized PPO curves of transformer proxies";
            text.AppendLine(C, $"Not measured: {why}.");
            text.AppendLine();
            return new StudySection(Title, text.ToString(), [Finding.NotMeasured("2", shape, why), Finding.NotMeasured("6", kl, why)], []);
        }
        // Best-of-n: each curve (its intervals are bootstrap over prompts); RL: each configuration's mean over replicates.
        var bonVerdicts = bon.Select(c => (Curve: c, Holds: Falls(c.Points, out _))).ToList();
        var rlMeans = ppo.GroupBy(c => (c.Proxy, c.Params)).OrderBy(g => g.Key.Params).Select(g => (g.Key.Proxy, g.Key.Params, Replicates: g.Count(), Mean: Mean(g.ToList()), Bon: Mean(bon.Where(b => b.Params == g.Key.Params).ToList()))).ToList();
        var rlVerdicts = rlMeans.Where(m => m.Mean.Count > 0).Select(m => (m.Proxy, m.Params, m.Replicates, Holds: Falls(m.Mean, out string detail), Detail: detail)).ToList();
        text.AppendLine(C, $"Policy `{policy}`, transformer proxies trained on {count:N0} comparisons. Best-of-n: {bonVerdicts.Count(v => v.Holds)} of {bonVerdicts.Count} curves overoptimize (gold peaks inside the range, ends below the peak's 95% interval) while the proxy score ends above its value at gold's peak{BySize(bonVerdicts)}. RL (no KL penalty), per proxy over its replicates: {(rlVerdicts.Count == 0 ? "no RL curves in the sweep" : string.Join("; ", rlVerdicts.Select(v => $"{v.Proxy} ({v.Replicates} runs): {v.Detail}")))}.");
        text.AppendLine();
        var findings = new List<Finding>();
        string Share(int holds, int all, string what) => all == 0 ? "none in the sweep" : $"{holds} of {all} {what}";
        string numbers = $"best-of-n: {Share(bonVerdicts.Count(v => v.Holds), bonVerdicts.Count, "curves")}; RL: {Share(rlVerdicts.Count(v => v.Holds), rlVerdicts.Count, "proxies' seed means")}";
        findings.Add(bonVerdicts.Count + rlVerdicts.Count == 0
            ? Finding.NotMeasured("2", shape, "no curves")
            : Finding.Judged("2", shape, bonVerdicts.All(v => v.Holds) && rlVerdicts.All(v => v.Holds), $"{numbers}; criterion: every one"));

        // RL against best-of-n: the d at which each first reaches half the lower of their two gold peaks.
        var pairs = rlMeans.Where(m => m.Mean.Count > 0 && m.Bon.Count > 0).Select(m =>
        {
            double level = 0.5 * Math.Min(OveroptimizationVerdict.Assess(m.Mean).PeakGold, OveroptimizationVerdict.Assess(m.Bon).PeakGold);
            double dBon = RlFindings.FirstReach(m.Bon, level), dRl = RlFindings.FirstReach(m.Mean, level);
            return (m.Proxy, Level: level, DBon: dBon, DRl: dRl, Holds: level > 0 && dRl > dBon);
        }).ToList();
        findings.Add(pairs.Count == 0
            ? Finding.NotMeasured("6", kl, "no proxy has both best-of-n and unpenalized PPO curves")
            : Finding.Judged("6", kl, pairs.All(p => p.Holds),
                string.Join("; ", pairs.Select(p => $"{p.Proxy}: gold {F(p.Level)} reached at KL {F(p.DBon * p.DBon, "F2")} by best-of-n and {F(p.DRl * p.DRl, "F2")} by RL")) +
                "; criterion: for every proxy RL first reaches half the lower of the two peaks at a larger KL"));

        var series = new List<StudySeries>();
        foreach (var size in bon.Concat(ppo).Select(c => c.Params).Distinct().Order())
        {
            var b = bon.Where(c => c.Params == size).ToList();
            var r = ppo.Where(c => c.Params == size).ToList();
            if (b.Count > 0)
            {
                var m = Mean(b);
                series.Add(new StudySeries($"best-of-n {Label(size, b)}", m.Select(p => p.ProxyScore).ToArray(), m.Select(p => p.GoldScore).ToArray(), Joined: true, MarkerSize: 5));
            }
            if (r.Count > 0)
            {
                var m = Mean(r);
                series.Add(new StudySeries($"RL {Label(size, r)}", m.Select(p => p.ProxyScore).ToArray(), m.Select(p => p.GoldScore).ToArray(), Joined: true, MarkerSize: 5));
            }
        }
        StudyPlots.Draw(Path.Combine(folder, Figure), "Fig. 8: gold against proxy score, best-of-n and RL (seed means)", "proxy score", "gold score", series, [StudyPlots.Identity(series)]);
        text.AppendLine(C, $"![{Figure}]({Figure})");
        text.AppendLine();
        return new StudySection(Title, text.ToString(), findings, [Figure]);
    }

    /// <summary>Gold peaks inside the range and ends below the peak's interval, while the proxy ends above its value at the peak.</summary>
    private static bool Falls(IReadOnlyList<CurvePoint> points, out string detail)
    {
        var v = OveroptimizationVerdict.Assess(points);
        var peak = points[v.PeakIndex];
        bool proxyRises = points[^1].ProxyScore > peak.ProxyScore;
        detail = $"gold peaks at d {F(v.PeakD, "F2")} at {F(v.PeakGold)} [{F(v.PeakCiLow)}, {F(v.PeakCiHigh)}], ends at {F(v.LastGold)}; proxy {F(peak.ProxyScore, "F2")} -> {F(points[^1].ProxyScore, "F2")}";
        return v.Overoptimized && proxyRises;
    }
}
