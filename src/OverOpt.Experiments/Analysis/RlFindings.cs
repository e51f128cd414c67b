using System.Globalization;
using OverOpt.Experiments.Outcomes;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.RewardModels;

namespace OverOpt.Experiments.Analysis;

/// <summary>
/// The paper's RL findings, each judged on seed-mean curves with seed-level intervals, never on one seed. A finding
/// that does not hold is reported as such.
/// </summary>
internal static class RlFindings
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static IReadOnlyList<Finding> Assess(IReadOnlyList<PolicyOutcome> outcomes)
    {
        var findings = outcomes.SelectMany(o => Assess(o.BestOfN, o.Ppo)
            .Select(f => outcomes.Count > 1 ? f with { Statement = $"{o.Policy}: {f.Statement}" } : f)).ToList();
        if (outcomes.Count > 1)
        {
            findings.AddRange(PolicySize(outcomes.OrderBy(o => o.Parameters).First(), outcomes.OrderBy(o => o.Parameters).Last()));
        }
        return findings;
    }

    private static List<Finding> Assess(BestOfNOutcome? bon, IReadOnlyList<PpoConfiguration> ppo)
    {
        var findings = new List<Finding>();
        // These findings are about single learned proxies; gold plus noise and ensembles have studies of their own.
        ppo = ppo.Where(c => c.Proxy.Info.Kind is not (NoisyGoldRewardModel.KindName or EnsembleRewardModel.KindName)).ToList();
        if (ppo.Count == 0)
        {
            return findings;
        }
        double leastBeta = ppo.Min(c => c.KlCoefficient);
        var unpenalized = ppo.Where(c => c.KlCoefficient == leastBeta).OrderBy(c => c.Proxy.Info.Parameters).ToList();
        findings.Add(RisesThenFalls(unpenalized));
        if (unpenalized.Count >= 2)
        {
            findings.Add(LargestPeaksHigher(unpenalized[0], unpenalized[^1]));
        }
        if (bon is not null)
        {
            findings.Add(RlSpendsMoreKl(bon, unpenalized));
        }
        if (ppo.Select(c => c.KlCoefficient).Distinct().Count() > 1)
        {
            findings.AddRange(KlPenalty(ppo));
        }
        return findings;
    }

    private static Finding RisesThenFalls(IReadOnlyList<PpoConfiguration> configurations)
    {
        var parts = configurations.Select(c =>
        {
            var v = c.Verdict;
            var peak = c.MeanCurve[v.PeakIndex];
            var last = c.MeanCurve[^1];
            bool proxyRises = last.ProxyScore > peak.ProxyScore;
            return (Holds: v.Overoptimized && proxyRises, Text: string.Format(C,
                "{0}: gold peaks at step {1} (d {2:F2}) at {3:F3} [{4:F3}, {5:F3}], ends at {6:F3} (d {7:F2}); proxy {8:F3} -> {9:F3}",
                c.Proxy.Name, peak.Step, peak.D, v.PeakGold, v.PeakCiLow, v.PeakCiHigh, v.LastGold, last.D, peak.ProxyScore, last.ProxyScore));
        }).ToList();
        return Finding.Judged("", "Under RL every proxy's gold rises then falls (peak inside the run, last point below the peak's interval) while its proxy score keeps rising",
            parts.All(p => p.Holds), string.Join("; ", parts.Select(p => p.Text)));
    }

    private static Finding LargestPeaksHigher(PpoConfiguration smallest, PpoConfiguration largest)
    {
        var (s, l) = (smallest.Verdict, largest.Verdict);
        return Finding.Judged("", "The largest proxy's gold peak is higher than the smallest's, with non-overlapping seed intervals (fig. 1b, 3c)",
            l.PeakCiLow > s.PeakCiHigh,
            string.Format(C, "{0} ({1:N0} params): {2:F3} [{3:F3}, {4:F3}]; {5} ({6:N0} params): {7:F3} [{8:F3}, {9:F3}]",
                largest.Proxy.Name, largest.Proxy.Info.Parameters, l.PeakGold, l.PeakCiLow, l.PeakCiHigh,
                smallest.Proxy.Name, smallest.Proxy.Info.Parameters, s.PeakGold, s.PeakCiLow, s.PeakCiHigh));
    }

    /// <summary>For each proxy: the d at which best-of-n and RL first reach half the lower of their two gold peaks.</summary>
    private static Finding RlSpendsMoreKl(BestOfNOutcome bon, IReadOnlyList<PpoConfiguration> configurations)
    {
        var parts = new List<(bool Holds, string Text)>();
        foreach (var c in configurations)
        {
            var curve = bon.Curves.FirstOrDefault(b => b.Proxy.Name == c.Proxy.Name);
            if (curve is null)
            {
                continue;
            }
            double level = 0.5 * Math.Min(curve.Verdict.PeakGold, c.Verdict.PeakGold);
            if (!(level > 0))
            {
                parts.Add((false, $"{c.Proxy.Name}: no positive gold to compare at"));
                continue;
            }
            double dBon = FirstReach(curve.Result.Points, level), dRl = FirstReach(c.MeanCurve, level);
            parts.Add((dRl > dBon, string.Format(C, "{0}: gold {1:F3} reached at d {2:F2} by best-of-n, d {3:F2} (KL {4:F2} vs {5:F2}) by RL", c.Proxy.Name, level, dBon, dRl, dBon * dBon, dRl * dRl)));
        }
        return Finding.Judged("", "RL spends more KL than best-of-n for the same gold (fig. 8)", parts.Count == 0 ? null : parts.All(p => p.Holds), string.Join("; ", parts.Select(p => p.Text)));
    }

    private static IEnumerable<Finding> KlPenalty(IReadOnlyList<PpoConfiguration> ppo)
    {
        foreach (var proxy in ppo.Select(c => c.Proxy.Name).Distinct())
        {
            var runs = ppo.Where(c => c.Proxy.Name == proxy).OrderBy(c => c.KlCoefficient).ToList();
            var finalKl = runs.Select(c => c.MeanCurve[^1].Kl).ToList();
            bool stopsEarlier = finalKl.Zip(finalKl.Skip(1), (a, b) => b < a).All(x => x);
            yield return Finding.Judged("", $"{proxy}: a larger KL coefficient stops at a smaller KL (the penalty acts like early stopping, fig. 14)", stopsEarlier,
                string.Join("; ", runs.Select((c, i) => string.Format(C, "beta {0:G3}: final KL {1:F2}", c.KlCoefficient, finalKl[i]))));
            var free = runs[0];
            var parts = runs.Skip(1).Select(c =>
            {
                // Gold of the unpenalized run at the penalized run's peak d, against the penalized peak's interval.
                var peak = c.MeanCurve[c.Verdict.PeakIndex];
                double goldFree = Interpolate(free.MeanCurve, peak.D, p => p.GoldScore);
                bool same = goldFree >= c.Verdict.PeakCiLow && goldFree <= c.Verdict.PeakCiHigh;
                return (same, string.Format(C, "beta {0:G3}: gold {1:F3} [{2:F3}, {3:F3}] at d {4:F2}, beta {5:G3} there: {6:F3}",
                    c.KlCoefficient, c.Verdict.PeakGold, c.Verdict.PeakCiLow, c.Verdict.PeakCiHigh, peak.D, free.KlCoefficient, goldFree));
            }).ToList();
            yield return Finding.Judged("", $"{proxy}: gold as a function of d is the same with and without the penalty, within intervals (fig. 9)",
                parts.All(p => p.same), string.Join("; ", parts.Select(p => p.Item2)));
            // The proxy-gold gap at the end of each penalized run against the unpenalized run's gap at the same d.
            var gaps = runs.Skip(1).Select(c =>
            {
                var end = c.MeanCurve[^1];
                double gap = end.ProxyScore - end.GoldScore;
                double freeGap = Interpolate(free.MeanCurve, end.D, p => p.ProxyScore) - Interpolate(free.MeanCurve, end.D, p => p.GoldScore);
                return (Wider: gap >= freeGap, Text: string.Format(C, "beta {0:G3}: gap {1:F3} at d {2:F2}, beta {3:G3} there: {4:F3}", c.KlCoefficient, gap, end.D, free.KlCoefficient, freeGap));
            }).ToList();
            yield return Finding.Judged("", $"{proxy}: the penalty does not shrink the proxy-gold gap at equal d (fig. 9)",
                gaps.All(g => g.Wider), string.Join("; ", gaps.Select(g => g.Text)));
        }
    }

    /// <summary>
    /// Policy size (fig. 7): against proxies of the same shape, each trained on its own policy's samples, the larger policy
    /// gains less gold (its peak's interval below the smaller's) and peaks at about the same KL (peak d within a factor 1.5).
    /// </summary>
    private static IEnumerable<Finding> PolicySize(PolicyOutcome small, PolicyOutcome large)
    {
        var pairs = new List<(string Label, OveroptimizationVerdict Small, OveroptimizationVerdict Large)>();
        if (small.BestOfN is not null && large.BestOfN is not null)
        {
            pairs.AddRange(small.BestOfN.Curves.Join(large.BestOfN.Curves, c => c.Proxy.Name, c => c.Proxy.Name, (s, l) => ($"best-of-n {s.Proxy.Name}", s.Verdict, l.Verdict)));
        }
        pairs.AddRange(small.Ppo.Join(large.Ppo, c => (c.Proxy.Name, c.KlCoefficient), c => (c.Proxy.Name, c.KlCoefficient), (s, l) => ($"ppo {s.Proxy.Name} beta {s.KlCoefficient:G3}", s.Verdict, l.Verdict)));
        if (pairs.Count == 0)
        {
            yield break;
        }
        string Numbers(Func<OveroptimizationVerdict, string> show) => string.Join("; ", pairs.Select(p => $"{p.Label}: {small.Policy} {show(p.Small)}, {large.Policy} {show(p.Large)}"));
        yield return Finding.Judged("", $"The larger policy ({large.Policy}, {large.Parameters:N0} params) gains less gold than the smaller ({small.Policy}, {small.Parameters:N0}) (fig. 7)",
            pairs.All(p => p.Large.PeakCiHigh < p.Small.PeakCiLow), Numbers(v => string.Format(C, "{0:F3} [{1:F3}, {2:F3}]", v.PeakGold, v.PeakCiLow, v.PeakCiHigh)));
        yield return Finding.Judged("", "Both policies peak at about the same KL (peak d within a factor of 1.5)",
            pairs.All(p => p.Large.PeakD <= 1.5 * p.Small.PeakD && p.Small.PeakD <= 1.5 * p.Large.PeakD), Numbers(v => string.Format(C, "d {0:F2}", v.PeakD)));
    }

    /// <summary>The first d at which the curve reaches <paramref name="level"/>, interpolated linearly; +infinity if never.</summary>
    internal static double FirstReach(IReadOnlyList<CurvePoint> curve, double level)
    {
        for (int i = 1; i < curve.Count; i++)
        {
            var (a, b) = (curve[i - 1], curve[i]);
            if (b.GoldScore >= level)
            {
                double t = b.GoldScore == a.GoldScore ? 0 : (level - a.GoldScore) / (b.GoldScore - a.GoldScore);
                return a.D + Math.Clamp(t, 0, 1) * (b.D - a.D);
            }
        }
        return double.PositiveInfinity;
    }

    /// <summary>A curve's value at <paramref name="d"/>, interpolated linearly in d; NaN beyond its range.</summary>
    internal static double Interpolate(IReadOnlyList<CurvePoint> curve, double d, Func<CurvePoint, double> value)
    {
        var sorted = curve.OrderBy(p => p.D).ToList();
        for (int i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].D >= d && sorted[i - 1].D <= d)
            {
                double span = sorted[i].D - sorted[i - 1].D;
                double t = span == 0 ? 0 : (d - sorted[i - 1].D) / span;
                return value(sorted[i - 1]) + t * (value(sorted[i]) - value(sorted[i - 1]));
            }
        }
        return double.NaN;
    }
}
