using System.Text;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.SeedStatistics;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.RewardModels;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// Reward-model ensembles (Coste et al. 2024): best-of-n and PPO against ensembles of one proxy recipe's seeds (mean,
/// worst case, uncertainty-weighted), each beside the single proxy of the same recipe, seed means with seed-level
/// intervals; and the members' disagreement along PPO under the mean and the uncertainty-weighted objectives.
/// </summary>
public static class EnsembleStudy
{
    /// <summary>Best-of-n gold against d, single proxy and ensembles.</summary>
    public const string BestOfNFigure = "study-ensembles-bon-gold-vs-d.png";
    /// <summary>PPO gold against d at each KL coefficient, single proxy and ensembles.</summary>
    public const string PpoFigure = "study-ensembles-ppo-gold-vs-d.png";
    /// <summary>The members' disagreement against PPO step.</summary>
    public const string DisagreementFigure = "study-ensembles-disagreement-vs-step.png";

    private const string Title = "Reward-model ensembles (Coste et al. 2024)";
    private const string Spec = "Coste";

    private static readonly string[] Claims =
    [
        "worst-case and uncertainty-weighted ensembles do not overoptimize under best-of-n (Coste et al. 2024, with 25% label noise)",
        "an ensemble's best-of-n gold peak is at least the single proxy's (inside or above the single's interval)",
        "with a small KL penalty (0 < beta <= 0.01), worst-case and uncertainty-weighted ensembles do not overoptimize under PPO, at no cost in gold against the single proxy at that penalty",
        "the members disagree more at the end of PPO under the mean objective than under the uncertainty-weighted one",
    ];

    private sealed record Row(OptimizationMethod Method, double Kl, string Proxy, string Objective, int Seeds, IReadOnlyList<CurvePoint> Mean, OveroptimizationVerdict Verdict, ScoreInterval FinalDisagreement);

    /// <summary>Runs the study on <paramref name="data"/>, writing its figures into <paramref name="folder"/>.</summary>
    public static StudySection Run(StudyData data, string folder)
    {
        var ensembles = data.Curves.Where(c => c.Kind == EnsembleRewardModel.KindName).ToList();
        var text = new StringBuilder();
        if (ensembles.Count == 0)
        {
            const string why = "the sweep has no ensemble proxy";
            return NotMeasuredSection(text, Title, Spec, Claims, why);
        }
        var recipes = ensembles.Select(c => c.EnsembleOf).ToHashSet(StringComparer.Ordinal);
        var singles = data.Curves.Where(c => c.Kind == "transformer" && recipes.Contains(c.Proxy) && ensembles.Any(e => e.Policy == c.Policy));
        var rows = ensembles.Concat(singles)
            .GroupBy(c => (c.Method, c.KlCoefficient, c.Policy, c.Proxy, Objective: c.Kind == EnsembleRewardModel.KindName ? c.EnsembleObjective : "single"))
            .Select(g =>
            {
                var curves = g.ToList();
                var mean = Mean(curves);
                var final = SeedInterval.Of(curves.Select(c => c.Points[^1].ProxyDisagreement));
                return mean.Count < 2 ? null : new Row(g.Key.Method, g.Key.KlCoefficient, g.Key.Proxy, g.Key.Objective, curves.Count, mean, OveroptimizationVerdict.Assess(mean), final);
            })
            .OfType<Row>().OrderBy(r => r.Method).ThenBy(r => r.Kl).ThenBy(r => r.Objective == "single" ? 0 : 1).ThenBy(r => r.Proxy, StringComparer.Ordinal).ToList();
        string Peak(Row r) => $"{F(r.Verdict.PeakGold)} [{F(r.Verdict.PeakCiLow)}, {F(r.Verdict.PeakCiHigh)}] at d {F(r.Verdict.PeakD, "F2")}";
        text.AppendLine("Each ensemble is k proxies of one recipe (its `of`), trained on the same comparisons with their own seeds, scored as the mean, the worst case (lowest member) or the uncertainty-weighted mean (mean - lambda x population variance); beside it the single proxy of that recipe. Seed means over the sweep's replicates, seed-level 95% intervals; \"overoptimized\": the last point lies below the peak's interval. Disagreement: the population variance of the members' scores on PPO's evaluation samples at the last step.");
        text.AppendLine();
        Table(text, ["method", "KL coefficient", "proxy", "objective", "seeds", "gold peak [95%] at d", "gold at the end", "overoptimized", "final disagreement [95%]"],
            rows.Select(r => new[]
            {
                r.Method.Label(), r.Kl.ToString("G3", C), r.Proxy, r.Objective, r.Seeds.ToString(C), Peak(r), F(r.Verdict.LastGold), r.Verdict.Overoptimized ? "yes" : "no",
                double.IsFinite(r.FinalDisagreement.Mean) ? $"{F(r.FinalDisagreement.Mean)} [{F(r.FinalDisagreement.Low)}, {F(r.FinalDisagreement.High)}]" : "",
            }));
        Row? Single(Row r) => rows.FirstOrDefault(s => s.Objective == "single" && s.Method == r.Method && s.Kl == r.Kl
            && s.Proxy == ensembles.First(e => e.Proxy == r.Proxy).EnsembleOf);
        bool Robust(Row r) => r.Objective is "worstCase" or "uncertaintyWeighted";
        var bonRobust = new List<(bool, string)>();
        var uninformative = new List<string>();
        var bonGain = new List<(bool, string)>();
        var ppoRobust = new List<(bool, string)>();
        var spread = new List<(bool, string)>();
        foreach (var r in rows.Where(r => r.Objective != "single"))
        {
            var single = Single(r);
            string versus = single is null ? "no single proxy of its recipe at this setting" : $"single {single.Proxy}: {Peak(single)}, ends {F(single.Verdict.LastGold)}{(single.Verdict.Overoptimized ? ", overoptimized" : "")}";
            string label = $"{r.Proxy} ({r.Objective})";
            if (r.Method == OptimizationMethod.BestOfN)
            {
                // Removing overoptimization is measured only where the single proxy overoptimizes: else there is none to remove.
                if (Robust(r))
                {
                    string part = $"{label}: {Peak(r)}, ends {F(r.Verdict.LastGold)}; {versus}";
                    if (single is { Verdict.Overoptimized: true })
                    {
                        bonRobust.Add((!r.Verdict.Overoptimized, part));
                    }
                    else
                    {
                        uninformative.Add(part);
                    }
                }
                if (single is not null)
                {
                    bonGain.Add((r.Verdict.PeakGold >= single.Verdict.PeakCiLow, $"{label}: peak {F(r.Verdict.PeakGold)}; {versus}"));
                }
            }
            else if (Robust(r) && r.Kl > 0 && r.Kl <= 0.01)
            {
                ppoRobust.Add((!r.Verdict.Overoptimized && single is not null && r.Verdict.PeakGold >= single.Verdict.PeakCiLow,
                    $"{label} at beta {r.Kl.ToString("G3", C)}: {Peak(r)}, ends {F(r.Verdict.LastGold)}{(r.Verdict.Overoptimized ? ", overoptimized" : "")}; {versus}"));
            }
        }
        foreach (var uwo in rows.Where(r => r.Method == OptimizationMethod.Ppo && r.Objective == "uncertaintyWeighted" && double.IsFinite(r.FinalDisagreement.Mean)))
        {
            var recipe = ensembles.First(e => e.Proxy == uwo.Proxy).EnsembleOf;
            foreach (var mean in rows.Where(r => r.Method == OptimizationMethod.Ppo && r.Objective == "mean" && r.Kl == uwo.Kl && double.IsFinite(r.FinalDisagreement.Mean)
                && ensembles.First(e => e.Proxy == r.Proxy).EnsembleOf == recipe))
            {
                spread.Add((mean.FinalDisagreement.Mean > uwo.FinalDisagreement.High,
                    $"beta {uwo.Kl.ToString("G3", C)}: mean {F(mean.FinalDisagreement.Mean)} [{F(mean.FinalDisagreement.Low)}, {F(mean.FinalDisagreement.High)}], uncertainty-weighted {F(uwo.FinalDisagreement.Mean)} [{F(uwo.FinalDisagreement.Low)}, {F(uwo.FinalDisagreement.High)}]"));
            }
        }
        var figures = Figures(rows, folder, text);
        var findings = new List<Finding>
        {
            JudgeParts(Spec, Claims[0], bonRobust, "where the single proxy's seed-mean best-of-n curve overoptimizes, no worst-case or uncertainty-weighted one ends below its peak's interval",
                uninformative.Count > 0 ? $"the single proxy does not overoptimize under best-of-n here either, so there is nothing to remove: {string.Join("; ", uninformative)}" : "no worst-case or uncertainty-weighted ensemble under best-of-n"),
            JudgeParts(Spec, Claims[1], bonGain, "each ensemble's seed-mean best-of-n peak is at least the single proxy's lower interval bound", "no ensemble beside its single proxy under best-of-n"),
            JudgeParts(Spec, Claims[2], ppoRobust, "each such PPO curve is not overoptimized and its peak is at least the single proxy's lower interval bound at the same penalty", "no worst-case or uncertainty-weighted ensemble under PPO at 0 < beta <= 0.01"),
            JudgeParts(Spec, Claims[3], spread, "the mean objective's final disagreement lies above the uncertainty-weighted one's upper interval bound", "no mean and uncertainty-weighted ensembles of one recipe under PPO at one penalty"),
        };
        return new StudySection(Title, text.ToString(), findings, figures);
    }

    private static List<string> Figures(IReadOnlyList<Row> rows, string folder, StringBuilder text)
    {
        var figures = new List<string>();
        StudySeries Gold(Row r, string label) => new(label, r.Mean.Select(p => p.D).ToArray(), r.Mean.Select(p => p.GoldScore).ToArray(),
            r.Mean.Select(p => p.GoldCiLow).ToArray(), r.Mean.Select(p => p.GoldCiHigh).ToArray(), Joined: true, MarkerSize: 5);
        var bon = rows.Where(r => r.Method == OptimizationMethod.BestOfN).ToList();
        if (bon.Count > 0)
        {
            StudyPlots.Draw(Path.Combine(folder, BestOfNFigure), "Ensembles under best-of-n: gold against d (seed means)", "d = sqrt(KL(pi || pi_init))", "gold score",
                bon.Select(r => Gold(r, $"{r.Proxy} ({r.Objective})")).ToList());
            figures.Add(BestOfNFigure);
        }
        var ppo = rows.Where(r => r.Method == OptimizationMethod.Ppo).ToList();
        if (ppo.Count > 0)
        {
            StudyPlots.Draw(Path.Combine(folder, PpoFigure), "Ensembles under PPO: gold against d (seed means)", "d = sqrt(KL(pi || pi_init))", "gold score",
                ppo.Select(r => Gold(r, $"{r.Proxy} ({r.Objective}), beta {r.Kl.ToString("G3", C)}")).ToList());
            figures.Add(PpoFigure);
            var spread = ppo.Where(r => r.Mean.All(p => double.IsFinite(p.ProxyDisagreement))).ToList();
            if (spread.Count > 0)
            {
                StudyPlots.Draw(Path.Combine(folder, DisagreementFigure), "Members' disagreement along PPO (seed means)", "PPO step", "population variance of the members' scores",
                    spread.Select(r => new StudySeries($"{r.Proxy} ({r.Objective}), beta {r.Kl.ToString("G3", C)}", r.Mean.Select(p => p.Step).ToArray(),
                        r.Mean.Select(p => p.ProxyDisagreement).ToArray(), Joined: true, MarkerSize: 5)).ToList());
                figures.Add(DisagreementFigure);
            }
        }
        foreach (var f in figures)
        {
            text.AppendLine(C, $"![{f}]({f})");
            text.AppendLine();
        }
        return figures;
    }

}
