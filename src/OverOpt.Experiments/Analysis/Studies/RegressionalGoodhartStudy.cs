using System.Text;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.SeedStatistics;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.RewardModels;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// Regressional Goodhart alone (paper sec. 4.2, eq. 1; spec finding 8): best-of-n and PPO against noisyGold proxies,
/// gold plus independent noise X_hat = X + Z, one noise function per proxy seed. With Gaussian noise eq. 1 says gold
/// never falls and rises by Var X / (Var X + Var Z) per unit of the proxy's rise (Var X within a prompt, where best-of-n
/// selects); with heavy-tailed noise (Student's t) an unbiased proxy can still be exploited. Gold as its own proxy
/// (noise 0) is the most best-of-n can get: if its curve bends, gold has a ceiling within reach, and every proxy's
/// beta_bon mixes the approach to that ceiling with overoptimization (world-pilot section 13).
/// </summary>
public static class RegressionalGoodhartStudy
{
    /// <summary>Gold's rise against the proxy's under best-of-n, seed means per noise level, with eq. 1's lines.</summary>
    public const string BestOfNFigure = "study-regressional-bon-gold-vs-proxy.png";
    /// <summary>The same under PPO.</summary>
    public const string PpoFigure = "study-regressional-ppo-gold-vs-proxy.png";

    private const string Title = "Regressional Goodhart: gold plus noise (sec. 4.2)";
    private const string Spec = "8";

    private static readonly string[] Claims =
    [
        "regressional Goodhart alone (proxy = gold + independent Gaussian noise): gold never falls, under best-of-n or PPO (sec. 4.2)",
        "under best-of-n, gold rises by Var X / (Var X + Var Z) per unit of the proxy's rise, Var X gold's variance within a prompt (eq. 1)",
        "heavy-tailed noise (Student's t) is exploited although it is unbiased: best-of-n's gold falls (extremal Goodhart)",
        "gold has no ceiling within best-of-n's reach: gold as its own proxy (noise 0) keeps rising, its fitted beta_bon's interval reaching 0, so that a proxy's beta_bon measures overoptimization, not the approach to a ceiling",
    ];

    /// <summary>The spec column of the ceiling finding: a precondition of the world, not a claim of the paper.</summary>
    private const string WorldSpec = "world";

    /// <summary>
    /// beta_bon of gold as its own proxy where gold is standard normal within a prompt: E[max of n] against d over n
    /// 2-8,192 fits d(1.27 - beta d) with beta -0.027 (numerical integration), so a gold without a ceiling gives beta at
    /// or below 0.
    /// </summary>
    private const string GaussianOracleBeta = "-0.03";

    /// <summary>
    /// Gold's rise per unit of the proxy's rise along a curve: the least-squares slope through the origin of
    /// gold - gold at the first point on proxy - proxy at the first point (n = 1 for best-of-n, step 0 for PPO).
    /// NaN where the proxy never moves.
    /// </summary>
    public static double GoldSlope(IReadOnlyList<CurvePoint> points)
    {
        double sxy = 0, sxx = 0;
        for (int i = 1; i < points.Count; i++)
        {
            double x = points[i].ProxyScore - points[0].ProxyScore, y = points[i].GoldScore - points[0].GoldScore;
            sxy += x * y;
            sxx += x * x;
        }
        return sxx > 0 ? sxy / sxx : double.NaN;
    }

    /// <summary>Runs the study on <paramref name="data"/>, writing its figures into <paramref name="folder"/>.</summary>
    public static StudySection Run(StudyData data, string folder)
    {
        var groups = data.Curves.Where(c => c.Kind == NoisyGoldRewardModel.KindName)
            .GroupBy(c => (c.Method, c.Policy, c.Proxy, c.NoiseDistribution))
            .OrderBy(g => g.Key.Method).ThenBy(g => g.Key.NoiseDistribution, StringComparer.Ordinal).ThenBy(g => g.Average(c => c.PredictedGoldSlope) is var p && double.IsFinite(p) ? -p : 0)
            .ThenBy(g => g.Key.Proxy, StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        if (groups.Count == 0)
        {
            const string why = "the sweep has no noisyGold proxy (gold plus independent noise)";
            var section = NotMeasuredSection(text, Title, Spec, Claims[..^1], why);
            return section with { Findings = [.. section.Findings, Finding.NotMeasured(WorldSpec, Claims[^1], why)] };
        }
        var rows = new List<string[]>();
        var never = new List<(bool, string)>();
        var slopes = new List<(bool, string)>();
        var tails = new List<(bool, string)>();
        var oracles = new List<(bool, string)>();
        bool oracleSeen = false;
        var series = new Dictionary<OptimizationMethod, List<StudySeries>>();
        var lines = new Dictionary<OptimizationMethod, List<StudyLine>>();
        foreach (var group in groups)
        {
            var curves = group.ToList();
            var (method, _, proxy, law) = group.Key;
            var mean = Mean(curves);
            if (mean.Count < 2)
            {
                continue;
            }
            var measured = SeedInterval.Of(curves.Select(c => GoldSlope(c.Points)));
            double predicted = curves.Select(c => c.PredictedGoldSlope).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
            var verdict = OveroptimizationVerdict.Assess(mean);
            int falling = curves.Count(c => c.Verdict.Overoptimized);
            double proxyGain = mean[^1].ProxyScore - mean[0].ProxyScore, goldGain = mean[^1].GoldScore - mean[0].GoldScore;
            string label = $"{proxy} ({method.Label()})";
            string falls = $"{label}: gold falls on {falling} of {curves.Count} seeds; seed mean peaks at {F(verdict.PeakGold)} [{F(verdict.PeakCiLow)}, {F(verdict.PeakCiHigh)}] (d {F(verdict.PeakD, "F2")}), ends at {F(verdict.LastGold)}";
            rows.Add([proxy, method.Label(), law, curves.Count.ToString(C), F(predicted), $"{F(measured.Mean)} [{F(measured.Low)}, {F(measured.High)}]",
                F(proxyGain), F(goldGain), $"{falling} of {curves.Count}", verdict.Overoptimized ? "yes" : "no"]);
            if (law == "studentT")
            {
                if (method == OptimizationMethod.BestOfN)
                {
                    tails.Add((verdict.Overoptimized, falls));
                }
            }
            else
            {
                if (method == OptimizationMethod.BestOfN && curves.All(c => c.PredictedGoldSlope == 1))
                {
                    oracleSeen = true;
                    if (Ceiling(proxy, curves) is { } ceiling)
                    {
                        oracles.Add(ceiling);
                    }
                }
                never.Add((!verdict.Overoptimized, falls));
                if (method == OptimizationMethod.BestOfN)
                {
                    slopes.Add((predicted >= measured.Low && predicted <= measured.High,
                        $"{proxy}: measured {F(measured.Mean)} [{F(measured.Low)}, {F(measured.High)}], predicted {F(predicted)}"));
                }
            }
            var x = mean.Select(p => p.ProxyScore - mean[0].ProxyScore).ToArray();
            var y = mean.Select(p => p.GoldScore - mean[0].GoldScore).ToArray();
            (series.TryGetValue(method, out var s) ? s : series[method] = []).Add(new StudySeries($"{proxy} ({law})", x, y, Joined: true, MarkerSize: 5));
            if (law != "studentT" && double.IsFinite(predicted))
            {
                (lines.TryGetValue(method, out var l) ? l : lines[method] = []).Add(new StudyLine($"{proxy}: eq. 1, slope {F(predicted, "F2")}", 0, 0, x.Max(), predicted * x.Max()));
            }
        }
        text.AppendLine("A noisyGold proxy is gold plus independent noise, X_hat = X + Z, drawn once per response (a seeded function of its tokens, so PPO sees one reward function); each proxy seed is another noise function. The slope is gold's rise per unit of the proxy's rise along the curve (least squares through the origin, from n = 1 or step 0), one per seed, with its seed-level 95% interval; eq. 1 predicts Var X / (Var X + Var Z) for Gaussian noise, Var X gold's variance within a prompt on the comparisons (0 where Var Z is infinite). \"Gold falls\": the last point lies below the peak's interval (seed means: seed-level intervals). Gold as its own proxy (noise 0) has predicted slope 1; its fitted beta_bon says whether gold has a ceiling that best-of-n reaches.");
        text.AppendLine();
        Table(text, ["proxy", "method", "noise", "seeds", "predicted slope", "measured slope [95%]", "proxy gain", "gold gain", "seeds where gold falls", "seed-mean gold falls"], rows);
        var figures = new List<string>();
        foreach (var (method, file) in new[] { (OptimizationMethod.BestOfN, BestOfNFigure), (OptimizationMethod.Ppo, PpoFigure) })
        {
            if (series.TryGetValue(method, out var s))
            {
                StudyPlots.Draw(Path.Combine(folder, file), $"Regressional Goodhart ({method.Label()}): gold against proxy, gold plus noise (seed means)",
                    "proxy score gain", "gold score gain", s, lines.GetValueOrDefault(method));
                figures.Add(file);
                text.AppendLine(C, $"![{file}]({file})");
                text.AppendLine();
            }
        }
        var findings = new List<Finding>
        {
            JudgeParts(Spec, Claims[0], never, "no Gaussian-noise proxy's seed-mean curve ends below its peak's seed-level interval", "no Gaussian-noise proxy"),
            JudgeParts(Spec, Claims[1], slopes, "eq. 1's slope lies inside the measured slope's seed-level 95% interval for every Gaussian noise level", "no best-of-n curve against a Gaussian-noise proxy"),
            JudgeParts(Spec, Claims[2], tails, "every Student's t proxy's seed-mean best-of-n curve ends below its peak's seed-level interval", "no best-of-n curve against a Student's t proxy"),
            JudgeParts(WorldSpec, Claims[3], oracles, $"the seed-level 95% interval of gold-as-its-own-proxy's beta_bon reaches 0 (a gold normal within a prompt gives {GaussianOracleBeta} over n 2-8,192)",
                oracleSeen ? "gold as its own proxy on one (world, pipeline seed) replicate: its curve does not vary with the proxy seed, so it has no interval"
                    : "no best-of-n curve against gold as its own proxy (a noisyGold proxy with noise 0)"),
        };
        return new StudySection(Title, text.ToString(), findings, figures);
    }

    /// <summary>
    /// Whether gold as its own proxy keeps rising: beta_bon fitted on each replicate's curve. Its replicates are the
    /// (world, pipeline seed) pairs, not the proxy seeds: with no noise, every proxy seed draws the same curve. Null with
    /// one replicate (no interval).
    /// </summary>
    private static (bool Holds, string Text)? Ceiling(string proxy, IReadOnlyList<StudyCurve> curves)
    {
        var betas = curves.GroupBy(c => (c.World, c.Seed))
            .Select(r => r.Average(c => c.Fit().Beta))
            .Where(double.IsFinite)
            .ToList();
        if (betas.Count < 2)
        {
            return null;
        }
        var beta = SeedInterval.Of(betas);
        string text = $"{proxy}: beta_bon {F(beta.Mean)} [{F(beta.Low)}, {F(beta.High)}] over {betas.Count} (world, pipeline seed) replicate(s)";
        return (beta.Low <= 0, text);
    }

}
