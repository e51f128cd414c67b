using System.Text;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Outcomes;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// Direct alignment (Rafailov et al. 2024): DPO, IPO and SLiC at several betas, seed means with seed-level intervals. Gold
/// rises then falls as KL grows; the R_RL form fits (against the best-of-n form); a lower beta spends more KL; the fall
/// begins within the first epoch; and the frontier, gold against d, set beside PPO's on the same comparisons.
/// </summary>
public static class DirectAlignmentStudy
{
    /// <summary>Gold against d for every (loss, beta), with PPO's seed-mean curves beside them.</summary>
    public const string Figure = "study-direct-alignment-gold-vs-d.png";

    private const string Title = "Direct alignment (Rafailov et al. 2024)";
    private const string Spec = "DAA";

    private static readonly string[] Claims =
    [
        "under direct alignment gold rises then falls as KL grows, for every beta (Rafailov et al. 2024)",
        "the R_RL form d(alpha - beta ln d) fits direct alignment's gold at least as well as the best-of-n form d(alpha - beta d)",
        "a lower beta spends more KL",
        "gold begins to fall within the first epoch",
    ];

    /// <summary>Runs the study on <paramref name="data"/>, writing its figure into <paramref name="folder"/>.</summary>
    public static StudySection Run(StudyData data, string folder)
    {
        var curves = data.Curves.Where(c => c.Method == OptimizationMethod.DirectAlignment).ToList();
        var text = new StringBuilder();
        if (curves.Count == 0)
        {
            const string why = "the sweep runs no direct alignment";
            return NotMeasuredSection(text, Title, Spec, Claims, why);
        }
        var configurations = curves.GroupBy(c => (c.Policy, Loss: c.Proxy, Beta: c.KlCoefficient, c.Comparisons)).OrderBy(g => g.Key.Loss, StringComparer.Ordinal).ThenBy(g => g.Key.Beta)
            .Select(g => (g.Key, Seeds: g.Count(), Mean: Mean(g.ToList()), PerEpoch: g.First().StepsPerEpoch)).Where(c => c.Mean.Count >= 3).ToList();
        var ppo = data.Ppo.Where(c => c.KlCoefficient == 0 && configurations.Any(d => d.Key.Policy == c.Policy && d.Key.Comparisons == c.Comparisons))
            .GroupBy(c => c.Proxy).Select(g => (Proxy: g.Key, Mean: Mean(g.ToList()))).Where(p => p.Mean.Count > 0).ToList();
        var falls = new List<(bool, string)>();
        var form = new List<(bool, string)>();
        var spend = new List<(bool, string)>();
        var early = new List<(bool, string)>();
        var rows = new List<string[]>();
        foreach (var c in configurations)
        {
            var v = OveroptimizationVerdict.Assess(c.Mean);
            var peak = c.Mean[v.PeakIndex];
            string label = $"{c.Key.Loss} beta {c.Key.Beta:G3}";
            double rl = RSquared(GoldCurveForm.ReinforcementLearning, c.Mean), bon = RSquared(GoldCurveForm.BestOfN, c.Mean);
            double epochs = peak.Step / c.PerEpoch;
            falls.Add((v.Overoptimized, $"{label}: peak {F(v.PeakGold)} [{F(v.PeakCiLow)}, {F(v.PeakCiHigh)}] at d {F(v.PeakD, "F2")}, ends {F(v.LastGold)}"));
            form.Add((rl >= bon, $"{label}: R^2 {F(rl)} (R_RL) against {F(bon)} (R_bon)"));
            if (v.Overoptimized)
            {
                early.Add((epochs < 1, $"{label}: peak at step {peak.Step:F0} = {F(epochs, "F2")} epochs"));
            }
            string versus = string.Join("; ", ppo.Select(p => $"{p.Proxy} {F(RlFindings.Interpolate(p.Mean, v.PeakD, q => q.GoldScore))}"));
            rows.Add([c.Key.Loss, c.Key.Beta.ToString("G3", C), c.Seeds.ToString(C), $"{F(v.PeakGold)} [{F(v.PeakCiLow)}, {F(v.PeakCiHigh)}]", $"{peak.Step:F0} ({F(epochs, "F2")}), d {F(v.PeakD, "F2")}",
                F(v.LastGold), F(c.Mean[^1].Kl, "F2"), v.Overoptimized ? "yes" : "no", F(rl), F(bon), versus.Length > 0 ? versus : "no PPO"]);
        }
        foreach (var loss in configurations.GroupBy(c => c.Key.Loss))
        {
            var byBeta = loss.OrderBy(c => c.Key.Beta).ToList();
            if (byBeta.Count >= 2)
            {
                var finalKl = byBeta.Select(c => c.Mean[^1].Kl).ToList();
                spend.Add((finalKl.Zip(finalKl.Skip(1), (a, b) => a > b).All(x => x),
                    $"{loss.Key}: final KL {string.Join(", ", byBeta.Select((c, i) => $"{F(finalKl[i], "F2")} at beta {c.Key.Beta:G3}"))}"));
            }
        }
        text.AppendLine("The policy fitted to the proxies' training comparisons by each loss (reference pi_init), evaluated on the held-out prompts as PPO is; seed means over the sweep's replicates with seed-level 95% intervals. R^2 of the R_RL and R_bon forms fitted to the seed-mean gold. Epochs: optimizer steps over the steps in one pass over the comparisons. The last column sets each peak beside the unpenalized PPO curves' gold at the same d (the frontier on the same comparisons).");
        text.AppendLine();
        Table(text, ["loss", "beta", "seeds", "gold peak [95%]", "at step (epochs), d", "gold at the end", "final KL", "overoptimized", "R^2 R_RL", "R^2 R_bon", "PPO gold at the peak's d"], rows);
        var series = configurations.Select(c => new StudySeries($"{c.Key.Loss} beta {c.Key.Beta:G3}", c.Mean.Select(p => p.D).ToArray(), c.Mean.Select(p => p.GoldScore).ToArray(),
            c.Mean.Select(p => p.GoldCiLow).ToArray(), c.Mean.Select(p => p.GoldCiHigh).ToArray(), Joined: true, MarkerSize: 5))
            .Concat(ppo.Select(p => new StudySeries($"PPO {p.Proxy}", p.Mean.Select(q => q.D).ToArray(), p.Mean.Select(q => q.GoldScore).ToArray(), Joined: true, MarkerSize: 3))).ToList();
        StudyPlots.Draw(Path.Combine(folder, Figure), "Direct alignment: gold against d, beside PPO (seed means)", "d = sqrt(KL(pi || pi_init))", "gold score", series);
        text.AppendLine(C, $"![{Figure}]({Figure})");
        text.AppendLine();
        var findings = new List<Finding>
        {
            JudgeParts(Spec, Claims[0], falls, "every (loss, beta)'s seed-mean curve ends below its peak's seed-level interval", "no curve"),
            JudgeParts(Spec, Claims[1], form, "the R_RL fit's R^2 is at least the R_bon fit's for every (loss, beta)", "no curve"),
            JudgeParts(Spec, Claims[2], spend, "within each loss, the seed-mean final KL falls at every step up in beta", "no loss at two or more betas"),
            JudgeParts(Spec, Claims[3], early, "every overoptimized curve peaks before one epoch", "no curve falls"),
        };
        return new StudySection(Title, text.ToString(), findings, [Figure]);
    }

    private static double RSquared(GoldCurveForm form, IReadOnlyList<CurvePoint> curve)
    {
        var usable = curve.Where(p => p.D > 0).ToList();
        if (usable.Select(p => p.D).Distinct().Count() < 2)
        {
            return double.NaN;
        }
        var d = usable.Select(p => p.D).ToArray();
        var gold = usable.Select(p => p.GoldScore).ToArray();
        var (alpha, beta) = CurveFitter.LeastSquares(form, d, gold);
        double mean = gold.Average(), total = gold.Sum(g => (g - mean) * (g - mean));
        double residual = d.Select((x, i) => gold[i] - CurveFitter.Evaluate(form, alpha, beta, x)).Sum(e => e * e);
        return total > 0 ? 1 - residual / total : double.NaN;
    }

}
