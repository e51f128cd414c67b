using System.Text;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Outcomes;
using OverOpt.MLNet.Curves;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// KL penalty (paper fig. 9, 14; spec finding 7): PPO against one proxy at several KL coefficients, each coefficient's
/// curve the mean over its replicates (seed-level intervals): a larger coefficient stops at a smaller KL (early
/// stopping), gold as a function of d is unchanged, and the proxy-gold gap at equal d does not shrink.
/// </summary>
public static class KlPenaltyStudy
{
    /// <summary>Fig. 9: gold against d per KL coefficient.</summary>
    public const string GoldFigure = "study-kl-penalty-gold-vs-d.png";
    /// <summary>Fig. 14: KL against step per KL coefficient.</summary>
    public const string KlFigure = "study-kl-penalty-kl-vs-step.png";

    private const string Title = "KL penalty (fig. 9, 14)";

    /// <summary>Runs the study on <paramref name="data"/>, writing its figures into <paramref name="folder"/>.</summary>
    public static StudySection Run(StudyData data, string folder)
    {
        string[] claims =
        [
            "a larger KL penalty stops at a smaller KL: the penalty acts like early stopping (fig. 14)",
            "gold as a function of KL is unchanged by the penalty: the frontier does not improve (fig. 9)",
            "the penalty does not shrink the proxy-gold gap at equal KL (fig. 9)",
        ];
        var groups = data.Ppo.GroupBy(c => (c.Policy, c.Proxy, c.Params, c.Comparisons))
            .Where(g => g.Select(c => c.KlCoefficient).Distinct().Count() >= 2).OrderBy(g => g.Key.Params).ToList();
        var text = new StringBuilder();
        if (groups.Count == 0)
        {
            const string why = "no proxy was optimized by PPO at two or more KL coefficients";
            return NotMeasuredSection(text, Title, "7", claims, why);
        }
        var early = new List<(bool, string)>();
        var frontier = new List<(bool, string)>();
        var gaps = new List<(bool, string)>();
        var figures = new List<string>();
        var rows = new List<string[]>();
        foreach (var group in groups)
        {
            var runs = group.GroupBy(c => c.KlCoefficient).OrderBy(g => g.Key).Select(g => (Beta: g.Key, Replicates: g.Count(), Mean: Mean(g.ToList()))).Where(r => r.Mean.Count > 0).ToList();
            if (runs.Count < 2)
            {
                continue;
            }
            string name = $"{group.Key.Proxy} ({group.Key.Policy}, {group.Key.Comparisons:N0} comparisons)";
            var finalKl = runs.Select(r => r.Mean[^1].Kl).ToList();
            early.Add((finalKl.Zip(finalKl.Skip(1), (a, b) => b < a).All(x => x), $"{name}: final KL {string.Join(", ", runs.Select((r, i) => $"{F(finalKl[i], "F2")} at beta {r.Beta:G3}"))}"));
            var free = runs[0].Mean;
            foreach (var run in runs.Skip(1))
            {
                var v = OveroptimizationVerdict.Assess(run.Mean);
                double goldFree = RlFindings.Interpolate(free, v.PeakD, p => p.GoldScore);
                frontier.Add((goldFree >= v.PeakCiLow && goldFree <= v.PeakCiHigh,
                    $"{name} beta {run.Beta:G3}: gold {F(v.PeakGold)} [{F(v.PeakCiLow)}, {F(v.PeakCiHigh)}] at d {F(v.PeakD, "F2")}, beta {runs[0].Beta:G3} there {F(goldFree)}"));
                var end = run.Mean[^1];
                double gap = end.ProxyScore - end.GoldScore;
                double freeGap = RlFindings.Interpolate(free, end.D, p => p.ProxyScore) - RlFindings.Interpolate(free, end.D, p => p.GoldScore);
                gaps.Add((gap >= freeGap, $"{name} beta {run.Beta:G3}: gap {F(gap)} at d {F(end.D, "F2")}, beta {runs[0].Beta:G3} there {F(freeGap)}"));
            }
            rows.AddRange(runs.Select(r =>
            {
                var v = OveroptimizationVerdict.Assess(r.Mean);
                return new[] { name, r.Beta.ToString("G3", C), r.Replicates.ToString(C), F(r.Mean[^1].Kl, "F2"), $"{F(v.PeakGold)} [{F(v.PeakCiLow)}, {F(v.PeakCiHigh)}] at d {F(v.PeakD, "F2")}", F(r.Mean[^1].GoldScore), F(r.Mean[^1].ProxyScore - r.Mean[^1].GoldScore) };
            }));
            if (figures.Count == 0)
            {
                var gold = runs.Select(r => new StudySeries($"beta {r.Beta:G3}", r.Mean.Select(p => p.D).ToArray(), r.Mean.Select(p => p.GoldScore).ToArray(),
                    r.Mean.Select(p => p.GoldCiLow).ToArray(), r.Mean.Select(p => p.GoldCiHigh).ToArray(), Joined: true, MarkerSize: 5)).ToList();
                StudyPlots.Draw(Path.Combine(folder, GoldFigure), $"Fig. 9: PPO gold against d by KL coefficient, {name} (seed means)", "d = sqrt(KL(pi || pi_init))", "gold score", gold);
                var klSeries = runs.Select(r => new StudySeries($"beta {r.Beta:G3}", r.Mean.Select(p => p.Step).ToArray(), r.Mean.Select(p => p.Kl).ToArray(), Joined: true, MarkerSize: 5)).ToList();
                StudyPlots.Draw(Path.Combine(folder, KlFigure), $"Fig. 14: KL against PPO step by KL coefficient, {name} (seed means)", "PPO step", "KL(pi || pi_init) (nats)", klSeries);
                figures.AddRange([GoldFigure, KlFigure]);
            }
        }
        Table(text, ["proxy", "KL coefficient", "replicates", "final KL", "gold peak [95%] at d", "gold at the end", "proxy - gold at the end"], rows);
        foreach (var f in figures)
        {
            text.AppendLine(C, $"![{f}]({f})");
            text.AppendLine();
        }
        var findings = new List<Finding>
        {
            JudgeParts("7", claims[0], early, "every larger coefficient's seed-mean final KL is smaller", "no configuration with two coefficients"),
            JudgeParts("7", claims[1], frontier, "at each penalized run's gold peak, the unpenalized curve's gold lies inside the peak's seed-level interval", "no configuration with two coefficients"),
            JudgeParts("7", claims[2], gaps, "at each penalized run's end, its proxy-gold gap is at least the unpenalized one at the same d", "no configuration with two coefficients"),
        };
        return new StudySection(Title, text.ToString(), findings, figures);
    }

}
