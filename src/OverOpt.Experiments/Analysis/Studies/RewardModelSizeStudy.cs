using System.Text;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.SeedStatistics;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// Reward-model size (paper fig. 1, 3 and 12; spec finding 1): on the transformer proxies of the main policy at the
/// comparison count with the most sizes, per proxy size the seed-level mean and 95% interval of alpha_bon, beta_bon
/// (from each best-of-n curve's fit) and beta_RL (R_RL fitted with one alpha per seed shared across the sizes, as the
/// paper holds alpha_RL fixed), a least-squares line of each against log10(parameters) through the per-seed points with
/// the slope's 95% interval, and the best-of-n peak d* = alpha / (2 beta) against the observed peak.
/// </summary>
public static class RewardModelSizeStudy
{
    /// <summary>Fig. 3, left: alpha_bon against log10 parameters.</summary>
    public const string AlphaBonFigure = "study-rm-size-alpha-bon.png";
    /// <summary>Fig. 3, middle: beta_bon against log10 parameters.</summary>
    public const string BetaBonFigure = "study-rm-size-beta-bon.png";
    /// <summary>Fig. 3, right: beta_RL (shared alpha) against log10 parameters.</summary>
    public const string BetaRlFigure = "study-rm-size-beta-rl.png";
    /// <summary>Fig. 12: predicted against observed best-of-n peak d.</summary>
    public const string PeakFigure = "study-rm-size-peak-d.png";
    /// <summary>Fig. 1a: seed-mean best-of-n gold against d, one line per size.</summary>
    public const string BonCurvesFigure = "study-rm-size-bon-gold-vs-d.png";
    /// <summary>Fig. 1b: seed-mean PPO gold against d, one line per size.</summary>
    public const string RlCurvesFigure = "study-rm-size-rl-gold-vs-d.png";

    /// <summary>The coefficients' names in <see cref="Result.Lines"/>.</summary>
    public static readonly string[] Coefficients = ["alpha_bon", "beta_bon", "beta_RL", "alpha_RL (free)", "bon peak gold", "bon peak d"];

    /// <summary>
    /// The section; each coefficient's line against log10 parameters (absent where it could not be fitted); and, with three
    /// sizes or more, the stepped coefficients' (beta_bon, beta_RL, bon peak gold) lines without the smallest size.
    /// </summary>
    public sealed record Result(StudySection Section, IReadOnlyDictionary<string, ScalingLine> Lines, IReadOnlyDictionary<string, ScalingLine> LinesWithoutSmallest);

    private const string Title = "Reward-model size (fig. 1, 3, 12)";

    /// <summary>Runs the study on <paramref name="data"/>, writing its figures into <paramref name="folder"/>.</summary>
    public static Result Run(StudyData data, string folder)
    {
        var all = data.Curves.Transformers().ToList();
        var (policy, count) = SizeSlice(all);
        var atPolicy = all.Where(c => c.Policy == policy).ToList();
        var bon = atPolicy.Where(c => c.Method == OptimizationMethod.BestOfN && c.Comparisons == count).ToList();
        var ppoAll = atPolicy.Where(c => c.Method == OptimizationMethod.Ppo && c.Comparisons == count).ToList();
        double leastKl = LeastKl(ppoAll);
        var ppo = ppoAll.Where(c => c.KlCoefficient == leastKl).ToList();
        var sizes = bon.Concat(ppo).Select(c => c.Params).Distinct().Order().ToList();
        var text = new StringBuilder();
        var lines = new Dictionary<string, ScalingLine>();
        var figures = new List<string>();
        if (sizes.Count < 2)
        {
            string why = $"the sweep has {(sizes.Count == 0 ? "no transformer proxy curves" : $"one transformer proxy size ({sizes[0]:N0} parameters)")} at any comparison count";
            text.AppendLine(C, $"Not measured: {why}.");
            text.AppendLine();
            return new Result(new StudySection(Title, text.ToString(), NotMeasured(why), figures), lines, new Dictionary<string, ScalingLine>());
        }

        // Per-seed values: best-of-n fits per curve; beta_RL from one alpha per replicate shared across sizes.
        var bonValues = bon.Select(c =>
        {
            var (alpha, beta) = c.Fit();
            var v = c.Verdict;
            return (Curve: c, Alpha: alpha, Beta: beta, Predicted: CurveFitter.Peak(GoldCurveForm.BestOfN, alpha, beta).D, ObservedD: v.PeakD, PeakGold: v.PeakGold, LastGold: c.Points[^1].GoldScore);
        }).ToList();
        var rlValues = new List<(StudyCurve Curve, double SharedAlpha, double Beta, double FreeAlpha)>();
        foreach (var replicate in ppo.GroupBy(c => c.Replicate))
        {
            var curves = replicate.GroupBy(c => c.Params).Select(g => g.First()).OrderBy(c => c.Params).ToList();
            try
            {
                var (alpha, betas) = SharedAlphaFit.LeastSquares(GoldCurveForm.ReinforcementLearning, curves.Select(c => c.Points).ToList());
                rlValues.AddRange(curves.Select((c, j) => (c, alpha, betas[j], double.IsFinite(c.Alpha) ? c.Alpha : c.Fit().Alpha)));
            }
            catch (ArgumentException)
            {
                // A replicate whose curves cannot be fitted (too few points with d > 0) adds no beta_RL.
            }
        }

        text.AppendLine(C, $"Transformer proxies of policy `{policy}` trained on {count:N0} comparisons; {sizes.Count} sizes from {sizes[0]:N0} to {sizes[^1]:N0} parameters ({Math.Log10((double)sizes[^1] / sizes[0]):F2} orders of magnitude). Seeds are replicates (world seed where there are several / pipeline seed / proxy seed / PPO seed); intervals are seed-level 95% Student-t intervals; lines are least squares through the per-seed points against log10(parameters), slopes per decade with 95% t intervals on n - 2 degrees of freedom. beta_RL: R_RL(d) = d(alpha - beta ln d) fitted with one alpha per replicate shared across the sizes{(leastKl > 0 ? $" (KL coefficient {leastKl:G3}, the least in the sweep)" : "")}, from curve_points (fits.csv's alpha_shared rows share alpha only among the proxies of one task).");
        text.AppendLine();
        var rows = sizes.Select(size =>
        {
            var b = bonValues.Where(v => v.Curve.Params == size).ToList();
            var r = rlValues.Where(v => v.Curve.Params == size).ToList();
            var label = Label(size, bon.Concat(ppo).Where(c => c.Params == size));
            return new[]
            {
                label, b.Count.ToString(C), SeedSummary.Of(b.Select(v => v.Alpha)).Describe(), SeedSummary.Of(b.Select(v => v.Beta)).Describe(),
                r.Count.ToString(C), SeedSummary.Of(r.Select(v => v.Beta)).Describe(), SeedSummary.Of(r.Select(v => v.SharedAlpha)).Describe(),
                SeedSummary.Of(b.Select(v => v.Predicted)).Describe("F2"), SeedSummary.Of(b.Select(v => v.ObservedD)).Describe("F2"),
                SeedSummary.Of(b.Select(v => v.PeakGold)).Describe(), SeedSummary.Of(b.Select(v => v.LastGold)).Describe(),
                SeedSummary.Of(b.Select(v => v.Curve.ValidationLoss)).Describe(),
            };
        });
        Table(text, ["proxy (params)", "bon seeds", "alpha_bon", "beta_bon", "ppo seeds", "beta_RL (shared alpha)", "alpha_RL (shared)", "predicted peak d* = alpha/(2 beta)", "observed peak d", "observed peak gold", "gold at max n", "val. loss"], rows);

        var points = new Dictionary<string, List<(double X, double Y)>>
        {
            ["alpha_bon"] = bonValues.Select(v => (v.Curve.LogParams, v.Alpha)).ToList(),
            ["beta_bon"] = bonValues.Select(v => (v.Curve.LogParams, v.Beta)).ToList(),
            ["beta_RL"] = rlValues.Select(v => (v.Curve.LogParams, v.Beta)).ToList(),
            ["alpha_RL (free)"] = rlValues.Select(v => (v.Curve.LogParams, v.FreeAlpha)).ToList(),
            ["bon peak gold"] = bonValues.Select(v => (v.Curve.LogParams, v.PeakGold)).ToList(),
            ["bon peak d"] = bonValues.Select(v => (v.Curve.LogParams, v.ObservedD)).ToList(),
        };
        foreach (var (name, p) in points)
        {
            if (ScalingLine.Fit(p) is { } line)
            {
                lines[name] = line;
            }
        }
        Table(text, ["against log10(params)", "slope per decade [95%]", "intercept", "points", "R^2 (per seed)", "R^2 (size means)"],
            Coefficients.Where(lines.ContainsKey).Select(n => new[] { n, lines[n].SlopeInterval(), F(lines[n].Intercept), lines[n].Points.ToString(C), F(lines[n].RSquared, "F2"), F(lines[n].MeansRSquared, "F2") }));
        (string Name, IReadOnlyList<(StudyCurve Curve, double Value)> Values)[] stepped =
        [
            ("beta_bon", bonValues.Select(v => (v.Curve, v.Beta)).ToList()),
            ("beta_RL", rlValues.Select(v => (v.Curve, v.Beta)).ToList()),
            ("bon peak gold", bonValues.Select(v => (v.Curve, v.PeakGold)).ToList()),
        ];
        SizeStepTable.Append(text, sizes, bon.Concat(ppo).ToList(), stepped);
        var withoutSmallest = new Dictionary<string, ScalingLine>();
        foreach (var (name, values) in sizes.Count >= 3 ? stepped : [])
        {
            if (SizeStepTable.LineWithoutSmallest(values, sizes[0]) is { } line)
            {
                withoutSmallest[name] = line;
            }
        }

        foreach (var (file, name, axis) in new[] { (AlphaBonFigure, "alpha_bon", "alpha_bon"), (BetaBonFigure, "beta_bon", "beta_bon"), (BetaRlFigure, "beta_RL", "beta_RL (alpha shared across sizes)") })
        {
            if (points[name].Count == 0)
            {
                continue;
            }
            var series = SizeSeries(name, points[name]);
            var extra = lines.TryGetValue(name, out var l) ? new[] { StudyPlots.Fitted($"least squares: {l.Describe()}", l.Intercept, l.Slope, series) } : [];
            StudyPlots.Draw(Path.Combine(folder, file), $"Fig. 3: {axis} against proxy size (seed means, 95% seed intervals)", "log10 proxy parameters", axis, series, extra);
            figures.Add(file);
        }
        if (bonValues.Count > 0)
        {
            var predicted = sizes.Select(s => SeedSummary.Of(bonValues.Where(v => v.Curve.Params == s).Select(v => v.Predicted))).ToArray();
            var observed = sizes.Select(s => SeedSummary.Of(bonValues.Where(v => v.Curve.Params == s).Select(v => v.ObservedD))).ToArray();
            // Per size: the seed means (the prediction's interval as the bar), then that size's per-seed points in its colour.
            var peakSeries = sizes.SelectMany((s, i) => new[]
            {
                new StudySeries(Label(s, bon.Where(c => c.Params == s)), [observed[i].Mean], [predicted[i].Mean], [predicted[i].Low], [predicted[i].High]),
                new StudySeries("per seed", bonValues.Where(v => v.Curve.Params == s).Select(v => v.ObservedD).ToArray(), bonValues.Where(v => v.Curve.Params == s).Select(v => v.Predicted).ToArray()) { Background = true },
            }).Where(x => x.X.Length > 0).ToList();
            StudyPlots.Draw(Path.Combine(folder, PeakFigure), "Fig. 12: best-of-n peak predicted by d* = alpha/(2 beta) against the observed peak", "observed peak d (argmax of gold)", "predicted d* = alpha / (2 beta)",
                peakSeries, [StudyPlots.Identity(peakSeries)]);
            figures.Add(PeakFigure);
            CurvesFigure(folder, BonCurvesFigure, "Fig. 1a: best-of-n gold against d per proxy size (seed means)", bon, sizes);
            figures.Add(BonCurvesFigure);
        }
        if (ppo.Count > 0)
        {
            CurvesFigure(folder, RlCurvesFigure, "Fig. 1b: PPO gold against d per proxy size (seed means)", ppo, sizes);
            figures.Add(RlCurvesFigure);
        }
        foreach (var f in figures)
        {
            text.AppendLine(C, $"![{f}]({f})");
            text.AppendLine();
        }
        return new Result(new StudySection(Title, text.ToString(), Findings(lines, sizes, bonValues.Select(v => (v.Curve.Params, v.Predicted, v.ObservedD)).ToList(), rlValues.Count > 0), figures), lines, withoutSmallest);
    }

    /// <summary>Size means with intervals, and the per-seed points behind them.</summary>
    internal static List<StudySeries> SizeSeries(string name, IReadOnlyList<(double X, double Y)> points)
    {
        var groups = points.Where(p => double.IsFinite(p.Y)).GroupBy(p => p.X).OrderBy(g => g.Key).Select(g => (X: g.Key, S: SeedSummary.Of(g.Select(p => p.Y)))).ToList();
        return
        [
            new StudySeries($"{name}: size mean", groups.Select(g => g.X).ToArray(), groups.Select(g => g.S.Mean).ToArray(), groups.Select(g => g.S.Low).ToArray(), groups.Select(g => g.S.High).ToArray()),
            new StudySeries("per seed", points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray()) { Background = true },
        ];
    }

    private static void CurvesFigure(string folder, string file, string title, IReadOnlyList<StudyCurve> curves, IReadOnlyList<long> sizes)
    {
        var series = new List<StudySeries>();
        foreach (long size in sizes)
        {
            var replicates = curves.Where(c => c.Params == size).ToList();
            if (replicates.Count == 0)
            {
                continue;
            }
            var mean = Mean(replicates);
            series.Add(new StudySeries(Label(size, replicates), mean.Select(p => p.D).ToArray(), mean.Select(p => p.GoldScore).ToArray(),
                mean.Select(p => p.GoldCiLow).ToArray(), mean.Select(p => p.GoldCiHigh).ToArray(), Joined: true, MarkerSize: 5));
        }
        StudyPlots.Draw(Path.Combine(folder, file), title, "d = sqrt(KL(pi || pi_init))", "gold score", series);
    }

    private static List<Finding> NotMeasured(string why) =>
    [
        Finding.NotMeasured("1", "beta_bon falls as reward models grow (fig. 3)", why),
        Finding.NotMeasured("1", "beta_RL falls as reward models grow, alpha_RL held fixed (fig. 3)", why),
        Finding.NotMeasured("1", "alpha_bon, beta_bon and beta_RL are roughly linear in log(params) (fig. 3)", why),
        Finding.NotMeasured("1", "alpha_RL can be held fixed across sizes (fig. 3)", why),
        Finding.NotMeasured("1", "bigger proxies peak higher (fig. 1)", why),
        Finding.NotMeasured("1", "bigger proxies overoptimize later (fig. 1)", why),
        Finding.NotMeasured("1", "d* = alpha/(2 beta) predicts where best-of-n gold peaks (fig. 12)", why),
    ];

    private static List<Finding> Findings(IReadOnlyDictionary<string, ScalingLine> lines, IReadOnlyList<long> sizes, IReadOnlyList<(long Params, double Predicted, double Observed)> peaks, bool rl)
    {
        var findings = new List<Finding>();
        Finding Trend(string name, string finding, bool rising)
        {
            if (!lines.TryGetValue(name, out var l) || !double.IsFinite(l.SlopeLow))
            {
                return Finding.NotMeasured("1", finding, name == "beta_RL" && !rl ? "the sweep has no PPO curves at these sizes" : $"too few per-seed points for a slope interval ({(lines.TryGetValue(name, out var x) ? x.Points : 0)})");
            }
            return Finding.Judged("1", finding, rising ? l.Rising : l.Falling, $"{name}: {l.Describe()}; criterion: the slope's interval lies {(rising ? "above" : "below")} 0");
        }
        findings.Add(Trend("beta_bon", "beta_bon falls as reward models grow (fig. 3)", rising: false));
        findings.Add(Trend("beta_RL", "beta_RL falls as reward models grow, alpha_RL held fixed (fig. 3)", rising: false));
        var linear = new[] { "alpha_bon", "beta_bon", "beta_RL" }.Where(lines.ContainsKey).ToList();
        findings.Add(linear.Count == 0
            ? Finding.NotMeasured("1", "alpha_bon, beta_bon and beta_RL are roughly linear in log(params) (fig. 3)", "no coefficient could be fitted")
            : Finding.Judged("1", "alpha_bon, beta_bon and beta_RL change smoothly, roughly linearly in log(params) (fig. 3)",
                linear.All(n => lines[n].MeansRSquared >= 0.8 && (lines[n].Rising || lines[n].Falling)),
                string.Join("; ", linear.Select(n => $"{n}: {lines[n].Describe()}, R^2 of the {sizes.Count} size means about the line {F(lines[n].MeansRSquared, "F2")}")) +
                "; criterion: each slope's interval excludes 0 and the size means lie on the line (R^2 >= 0.8)"));
        if (lines.TryGetValue("alpha_RL (free)", out var free) && double.IsFinite(free.SlopeLow))
        {
            findings.Add(Finding.Judged("1", "alpha_RL can be held fixed across sizes (fig. 3)", free.SlopeLow <= 0 && free.SlopeHigh >= 0,
                $"alpha_RL fitted freely per curve: {free.Describe()}; criterion: the slope's interval contains 0"));
        }
        else
        {
            findings.Add(Finding.NotMeasured("1", "alpha_RL can be held fixed across sizes (fig. 3)", rl ? "too few per-seed points for a slope interval" : "the sweep has no PPO curves at these sizes"));
        }
        findings.Add(Trend("bon peak gold", "bigger proxies peak higher (best-of-n, fig. 1)", rising: true));
        findings.Add(Trend("bon peak d", "bigger proxies overoptimize later: the best-of-n peak moves to larger d (fig. 1)", rising: true));
        if (peaks.Count == 0)
        {
            findings.Add(Finding.NotMeasured("1", "d* = alpha/(2 beta) predicts where best-of-n gold peaks (fig. 12)", "the sweep has no best-of-n curves at these sizes"));
        }
        else
        {
            var bySize = peaks.GroupBy(p => p.Params).OrderBy(g => g.Key)
                .Select(g => (Size: g.Key, Predicted: SeedSummary.Of(g.Select(p => p.Predicted)).Mean, Observed: SeedSummary.Of(g.Select(p => p.Observed)).Mean)).ToList();
            findings.Add(Finding.Judged("1", "d* = alpha/(2 beta) predicts where best-of-n gold peaks (fig. 12)",
                bySize.All(s => Math.Abs(s.Predicted - s.Observed) <= 0.25 * s.Observed),
                string.Join("; ", bySize.Select(s => $"{s.Size:N0} params: predicted {F(s.Predicted, "F2")}, observed {F(s.Observed, "F2")}")) + "; criterion: every size's seed-mean prediction within 25% of the observed seed-mean peak d"));
        }
        return findings;
    }
}
