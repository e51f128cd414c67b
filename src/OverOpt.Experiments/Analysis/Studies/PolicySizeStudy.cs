using System.Text;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Outcomes;
using OverOpt.MLNet.Curves;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// Policy size (paper fig. 7, 15, 22-24; spec finding 5): the same proxy shape, trained on each policy's own samples,
/// optimized for the smallest and the largest policy (their parameters from the <c>policies</c> table), each curve the
/// mean over its replicates: the larger policy gains less gold, peaks at about the same KL, and under RL moves less KL
/// per step.
/// </summary>
public static class PolicySizeStudy
{
    /// <summary>Fig. 7: gold against d for the smallest and the largest policy.</summary>
    public const string Figure = "study-policy-size-gold-vs-d.png";

    private const string Title = "Policy size (fig. 7)";

    /// <summary>Runs the study on <paramref name="data"/>, writing its figure into <paramref name="folder"/>.</summary>
    public static StudySection Run(StudyData data, string folder)
    {
        string[] claims =
        [
            "a bigger policy gains less gold from the same reward model (fig. 7)",
            "a bigger policy peaks at about the same KL (fig. 7)",
            "a bigger policy moves less KL per RL step (fig. 7)",
        ];
        var groups = data.Curves.Transformers().Where(c => c.PolicyParams > 0 && (c.Method == OptimizationMethod.BestOfN || c.KlCoefficient == 0))
            .GroupBy(c => (c.Method, c.Proxy, c.Params, c.Comparisons))
            .Where(g => g.Select(c => c.PolicyParams).Distinct().Count() >= 2).OrderBy(g => g.Key.Method).ThenBy(g => g.Key.Params).ToList();
        var text = new StringBuilder();
        if (groups.Count == 0)
        {
            const string why = "no proxy shape was optimized for two policies of different sizes";
            return NotMeasuredSection(text, Title, "5", claims, why);
        }
        var less = new List<(bool, string)>();
        var same = new List<(bool, string)>();
        var slower = new List<(bool, string)>();
        var series = new List<StudySeries>();
        var rows = new List<string[]>();
        foreach (var group in groups)
        {
            long smallSize = group.Min(c => c.PolicyParams), largeSize = group.Max(c => c.PolicyParams);
            var small = group.Where(c => c.PolicyParams == smallSize).ToList();
            var large = group.Where(c => c.PolicyParams == largeSize).ToList();
            var (ms, ml) = (Mean(small), Mean(large));
            if (ms.Count == 0 || ml.Count == 0)
            {
                continue;
            }
            var (vs, vl) = (OveroptimizationVerdict.Assess(ms), OveroptimizationVerdict.Assess(ml));
            string name = $"{(group.Key.Method == OptimizationMethod.BestOfN ? "best-of-n" : "RL")} against {group.Key.Proxy} ({group.Key.Comparisons:N0} comparisons)";
            string Peak(OveroptimizationVerdict v) => $"{F(v.PeakGold)} [{F(v.PeakCiLow)}, {F(v.PeakCiHigh)}] at d {F(v.PeakD, "F2")}";
            less.Add((vl.PeakCiHigh < vs.PeakCiLow, $"{name}: {small[0].Policy} ({smallSize:N0}) {Peak(vs)}, {large[0].Policy} ({largeSize:N0}) {Peak(vl)}"));
            same.Add((vl.PeakD <= 1.5 * vs.PeakD && vs.PeakD <= 1.5 * vl.PeakD, $"{name}: peak d {F(vs.PeakD, "F2")} and {F(vl.PeakD, "F2")}"));
            if (group.Key.Method == OptimizationMethod.Ppo)
            {
                double steps = Math.Min(ms[^1].Step, ml[^1].Step);
                double klSmall = ms.Last(p => p.Step <= steps).Kl, klLarge = ml.Last(p => p.Step <= steps).Kl;
                slower.Add((klLarge < klSmall, $"{name}: KL at step {steps:G4} {F(klSmall, "F2")} ({small[0].Policy}) and {F(klLarge, "F2")} ({large[0].Policy})"));
            }
            rows.Add([name, $"{small[0].Policy} ({smallSize:N0})", small.Count.ToString(C), Peak(vs), $"{large[0].Policy} ({largeSize:N0})", large.Count.ToString(C), Peak(vl)]);
            foreach (var (label, mean) in new[] { ($"{name}, {small[0].Policy}", ms), ($"{name}, {large[0].Policy}", ml) })
            {
                series.Add(new StudySeries(label, mean.Select(p => p.D).ToArray(), mean.Select(p => p.GoldScore).ToArray(), mean.Select(p => p.GoldCiLow).ToArray(), mean.Select(p => p.GoldCiHigh).ToArray(), Joined: true, MarkerSize: 5));
            }
        }
        Table(text, ["curves", "smaller policy (params)", "replicates", "gold peak [95%] at d", "larger policy (params)", "replicates", "gold peak [95%] at d"], rows);
        StudyPlots.Draw(Path.Combine(folder, Figure), "Fig. 7: gold against d for the smallest and the largest policy (seed means)", "d = sqrt(KL(pi || pi_init))", "gold score", series);
        text.AppendLine(C, $"![{Figure}]({Figure})");
        text.AppendLine();
        var findings = new List<Finding>
        {
            JudgeParts("5", claims[0], less, "the larger policy's peak interval lies below the smaller's, for every proxy and method", "no pair of policies with such curves"),
            JudgeParts("5", claims[1], same, "peak d within a factor of 1.5, for every proxy and method", "no pair of policies with such curves"),
            JudgeParts("5", claims[2], slower, "at the last step both reached, the larger policy's KL is smaller, for every proxy", "no pair of policies with such curves"),
        };
        return new StudySection(Title, text.ToString(), findings, [Figure]);
    }

}
