using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.BestOfN;

/// <summary>
/// Turns N samples per prompt, scored by a proxy and by gold, into the best-of-n curve (unbiased estimator, ties
/// averaged, analytic and measured KL), bootstrap intervals over prompts and the R_bon fit. Scores are re-centred so
/// that pi_init (n = 1) scores 0, in the mean and in every bootstrap resample, unless the options say otherwise.
/// Intervals need at least two prompts: with one, every interval is NaN.
/// </summary>
public static class BestOfNEvaluator
{
    /// <param name="proxyByPrompt">Per prompt, the proxy's scores of its samples.</param>
    /// <param name="goldByPrompt">Per prompt, gold's scores of the same samples, in the same order.</param>
    /// <param name="options">n range, bootstrap and labels.</param>
    /// <param name="ruleByPrompt">
    /// Optional: per prompt, a second truth's scores of the same samples (the synthetic world's exact rule, which gold
    /// was trained to reproduce), measured on the same selections and the same bootstrap resamples as gold and written to
    /// the points' <c>Rule*</c> columns; null leaves them NaN.
    /// </param>
    public static BestOfNResult Evaluate(IReadOnlyList<float[]> proxyByPrompt, IReadOnlyList<float[]> goldByPrompt, BestOfNOptions options,
        IReadOnlyList<float[]>? ruleByPrompt = null)
    {
        options.Validate();
        Check(proxyByPrompt, goldByPrompt, options);
        if (ruleByPrompt is not null)
        {
            Check(proxyByPrompt, ruleByPrompt, options);
        }
        var grid = BestOfNMath.GridEvenInD(options.MaxN, options.Points);
        int prompts = proxyByPrompt.Count;
        var gold = new double[prompts][];
        var proxy = new double[prompts][];
        var rule = ruleByPrompt is null ? null : new double[prompts][];
        var measuredKl = new double[grid.Length];
        for (int p = 0; p < prompts; p++)
        {
            var sorted = BestOfNMath.Sorted(proxyByPrompt[p], goldByPrompt[p]);
            var sortedRule = ruleByPrompt is null ? null : BestOfNMath.Sorted(proxyByPrompt[p], ruleByPrompt[p]);
            gold[p] = new double[grid.Length];
            proxy[p] = new double[grid.Length];
            if (rule is not null)
            {
                rule[p] = new double[grid.Length];
            }
            for (int k = 0; k < grid.Length; k++)
            {
                (proxy[p][k], gold[p][k]) = BestOfNMath.Expected(sorted, grid[k]);
                if (rule is not null)
                {
                    rule[p][k] = BestOfNMath.Expected(sortedRule!, grid[k]).Gold;
                }
                measuredKl[k] += BestOfNMath.MeasuredKl(sorted, grid[k]) / prompts;
            }
        }
        // Re-centred so that pi_init (n = 1, the first grid point) scores 0 on these prompts, in every resample and in
        // the mean, before anything is fitted: the paper's R(0) = 0.
        // Resampling one prompt gives it back every time: intervals of zero width that claim a certainty the data lack.
        // With a single prompt there are none (NaN).
        int resamples = prompts >= 2 ? options.BootstrapResamples : 0;
        var bootstrapGold = Bootstrap(gold, resamples, options.Seed);
        var bootstrapProxy = Bootstrap(proxy, resamples, options.Seed);
        // The same seed and prompt count draw the same resamples as gold's: the rule's intervals are over the same prompts.
        var bootstrapRule = rule is null ? null : Bootstrap(rule, resamples, options.Seed);
        double goldAtStart = 0, proxyAtStart = 0, ruleAtStart = 0;
        if (options.RecentreOnInitialPolicy)
        {
            Centre(bootstrapGold);
            Centre(bootstrapProxy);
            (goldAtStart, proxyAtStart) = (gold.Average(v => v[0]), proxy.Average(v => v[0]));
            if (rule is not null)
            {
                Centre(bootstrapRule!);
                ruleAtStart = rule.Average(v => v[0]);
            }
        }
        var points = new List<CurvePoint>();
        for (int k = 0; k < grid.Length; k++)
        {
            double kl = BestOfNMath.AnalyticKl(grid[k]);
            var goldDraws = bootstrapGold.Select(b => b[k]).OrderBy(v => v).ToList();
            var proxyDraws = bootstrapProxy.Select(b => b[k]).OrderBy(v => v).ToList();
            var ruleDraws = bootstrapRule?.Select(b => b[k]).OrderBy(v => v).ToList();
            points.Add(new CurvePoint
            {
                Key = new CurveKey { Method = OptimizationMethod.BestOfN, Proxy = options.Proxy, Seed = options.Seed },
                N = grid[k],
                Kl = kl,
                KlMeasured = measuredKl[k],
                D = Math.Sqrt(kl),
                ProxyScore = proxy.Average(v => v[k]) - proxyAtStart,
                ProxyCiLow = Statistics.Quantile(proxyDraws, 0.025),
                ProxyCiHigh = Statistics.Quantile(proxyDraws, 0.975),
                GoldScore = gold.Average(v => v[k]) - goldAtStart,
                GoldCiLow = Statistics.Quantile(goldDraws, 0.025),
                GoldCiHigh = Statistics.Quantile(goldDraws, 0.975),
                RuleScore = rule is null ? double.NaN : rule.Average(v => v[k]) - ruleAtStart,
                RuleCiLow = ruleDraws is null ? double.NaN : Statistics.Quantile(ruleDraws, 0.025),
                RuleCiHigh = ruleDraws is null ? double.NaN : Statistics.Quantile(ruleDraws, 0.975),
            });
        }
        var fit = CurveFitter.Fit(GoldCurveForm.BestOfN, points.Select(p => p.D).ToArray(), points.Select(p => p.GoldScore).ToArray(), bootstrapGold);
        var selection = grid.ToDictionary(n => n, n => Array.IndexOf(proxyByPrompt[0], proxyByPrompt[0].Take(n).Max()));
        return new BestOfNResult(points, fit, selection);
    }

    /// <summary>Means over prompts of <paramref name="resamples"/> bootstrap resamples of the prompts (rows: resample, columns: n).</summary>
    private static List<double[]> Bootstrap(double[][] byPrompt, int resamples, int seed)
    {
        var random = new Random(seed);
        int prompts = byPrompt.Length, columns = byPrompt[0].Length;
        var result = new List<double[]>(resamples);
        for (int b = 0; b < resamples; b++)
        {
            var means = new double[columns];
            for (int i = 0; i < prompts; i++)
            {
                var row = byPrompt[random.Next(prompts)];
                for (int k = 0; k < columns; k++)
                {
                    means[k] += row[k] / prompts;
                }
            }
            result.Add(means);
        }
        return result;
    }

    private static void Centre(List<double[]> resamples)
    {
        foreach (var row in resamples)
        {
            double start = row[0];
            for (int k = 0; k < row.Length; k++)
            {
                row[k] -= start;
            }
        }
    }

    private static void Check(IReadOnlyList<float[]> proxyByPrompt, IReadOnlyList<float[]> goldByPrompt, BestOfNOptions options)
    {
        if (proxyByPrompt.Count == 0 || proxyByPrompt.Count != goldByPrompt.Count)
        {
            throw new ArgumentException($"{proxyByPrompt.Count} prompts of proxy scores and {goldByPrompt.Count} of gold scores; they must match and not be empty.");
        }
        for (int p = 0; p < proxyByPrompt.Count; p++)
        {
            int samples = proxyByPrompt[p].Length;
            if (samples < options.MaxN)
            {
                throw new OverOptConfigurationException(
                    $"prompt {p} has N = {samples} samples, fewer than the largest n asked for ({options.MaxN}); the estimator needs N >= n.",
                    "maxN", $"lower maxN to at most {samples}, or draw at least {options.MaxN} samples per prompt.");
            }
            if (goldByPrompt[p].Length != samples)
            {
                throw new ArgumentException($"prompt {p}: {samples} proxy scores but {goldByPrompt[p].Length} gold scores.");
            }
            foreach (var (scores, column) in new[] { (proxyByPrompt[p], "ProxyScore"), (goldByPrompt[p], "GoldScore") })
            {
                if (scores.Any(s => !float.IsFinite(s)))
                {
                    throw new OverOptConfigurationException($"prompt {p} has a NaN or infinite {column}.", column, "check the reward model that produced it (a diverged model gives NaN).");
                }
            }
        }
    }
}
