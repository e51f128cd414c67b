using System.Globalization;
using System.Text;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet.Text;

namespace OverOpt.Experiments.Reporting;

/// <summary>The RL part of report.md: seed-mean fits with seed-level intervals, and what the trained policies write.</summary>
internal static class PpoSection
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Append(StringBuilder text, PipelineDefinition pipeline, IReadOnlyList<PpoConfiguration> ppo, WordTokenizer tokenizer)
    {
        var spec = pipeline.Ppo;
        text.AppendLine("## PPO");
        text.AppendLine();
        text.AppendLine(C, $"pi_init optimized against each proxy for {spec.Steps} steps of {spec.BatchSize} responses on seeds {string.Join(", ", spec.Seeds)} (the proxy is the same; the seed drives the rollouts and minibatches), KL coefficients {string.Join(", ", spec.KlCoefficients.Select(b => b.ToString("G3", C)))} with the {spec.PenaltyEstimator} penalty estimator, {spec.PpoEpochs} PPO epochs of {spec.MiniBatches} minibatches, learning rate {spec.LearningRate.ToString("G3", C)} {(spec.AnnealLearningRate ? "annealed by a cosine to a tenth" : "constant")}. {(pipeline.EffectiveThreadsPerJob > 0 ? $"Each run at {pipeline.EffectiveThreadsPerJob} libtorch thread{(pipeline.EffectiveThreadsPerJob == 1 ? "" : "s")}, runs side by side." : "Runs one after another at the process's libtorch threads.")} {spec.EvaluationPoints} evaluations log-spaced from step 1, plus step 0: {spec.EvaluationSamples} fresh responses to held-out prompts scored by the proxy, gold and the rule; KL(pi || pi_init) exact. Rows below are seed means; intervals are seed-level 95% (Student's t over seeds). Fit: R_RL(d) = d(alpha - beta ln d) on every evaluation after step 0; \"shared\" holds one alpha across the proxies at that coefficient.");
        text.AppendLine();
        text.AppendLine("| proxy | beta (KL) | alpha [95%] | beta_RL [95%] | R^2 | shared alpha: alpha, beta_RL [95%] | observed gold peak: step, d, gold [95%] | final gold | final rule | final proxy | final KL | distinct responses | seconds |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var c in ppo)
        {
            var f = c.MeanFit;
            var s = c.SharedAlphaFit;
            var peak = c.MeanCurve[c.Verdict.PeakIndex];
            var last = c.MeanCurve[^1];
            string free = f is null ? "- | - | -" : $"{f.Alpha:F3} [{f.AlphaLow:F3}, {f.AlphaHigh:F3}] | {f.Beta:F3} [{f.BetaLow:F3}, {f.BetaHigh:F3}] | {f.RSquared:F3}";
            string shared = s is null ? "-" : $"{s.Alpha:F3}, {s.Beta:F3} [{s.BetaLow:F3}, {s.BetaHigh:F3}]";
            double distinct = c.Seeds.Average(x => x.Result.Diagnostics[^1].DistinctResponses);
            text.AppendLine(C, $"| {c.Proxy.Name} | {c.KlCoefficient:G3} | {free} | {shared} | {peak.Step}, {peak.D:F2}, {c.Verdict.PeakGold:F3} [{c.Verdict.PeakCiLow:F3}, {c.Verdict.PeakCiHigh:F3}] | {last.GoldScore:F3} [{last.GoldCiLow:F3}, {last.GoldCiHigh:F3}] | {last.RuleScore:F3} | {last.ProxyScore:F3} | {last.Kl:F2} | {distinct:P0} | {c.Seeds.Sum(x => x.Seconds):F0} |");
        }
        text.AppendLine();
        text.AppendLine("![PPO: gold and proxy against d](rl-scores-vs-d.png)");
        text.AppendLine();
        text.AppendLine("![PPO: KL against step](rl-kl-vs-step.png)");
        text.AppendLine();
        if (!pipeline.Gold!.IsRule)
        {
            AppendGoldAgainstRule(text, ppo);
        }
        AppendFinalSamples(text, ppo, tokenizer);
    }

    /// <summary>Where the gold network departs from the rule it was trained on: gold minus rule at the end of each run.</summary>
    private static void AppendGoldAgainstRule(StringBuilder text, IReadOnlyList<PpoConfiguration> ppo)
    {
        text.AppendLine("### Gold against its rule");
        text.AppendLine();
        text.AppendLine("Gold is a network trained to reproduce the rule; far off pi_init it can be wrong too. Seed means at pi_init's neighbourhood (first evaluation after step 0) and at the end:");
        text.AppendLine();
        text.AppendLine("| proxy | beta (KL) | d, gold, rule (first) | d, gold, rule (end) | gold - rule at the end |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var c in ppo)
        {
            var first = c.MeanCurve[Math.Min(1, c.MeanCurve.Count - 1)];
            var last = c.MeanCurve[^1];
            text.AppendLine(C, $"| {c.Proxy.Name} | {c.KlCoefficient:G3} | {first.D:F2}, {first.GoldScore:F3}, {first.RuleScore:F3} | {last.D:F2}, {last.GoldScore:F3}, {last.RuleScore:F3} | {last.GoldScore - last.RuleScore:F3} |");
        }
        text.AppendLine();
    }

    private static void AppendFinalSamples(StringBuilder text, IReadOnlyList<PpoConfiguration> ppo, WordTokenizer tokenizer)
    {
        text.AppendLine("### What the trained policies write");
        text.AppendLine();
        text.AppendLine("For each configuration, the first seed's final policy on held-out prompts: its three first responses, its highest-gold and its highest-rule response (standardized scores).");
        text.AppendLine();
        text.AppendLine("| proxy | beta (KL) | which | response | proxy | gold | rule |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var c in ppo)
        {
            var samples = c.Seeds[0].FinalSamples;
            var rows = samples.Take(3).Select(s => ("sample", s))
                .Append(("highest gold", samples.MaxBy(s => s.Gold)!))
                .Append(("highest rule", samples.MaxBy(s => s.Rule)!));
            foreach (var (which, s) in rows)
            {
                text.AppendLine(C, $"| {c.Proxy.Name} | {c.KlCoefficient:G3} | {which} | {tokenizer.Decode(s.Response)} | {s.Proxy:F2} | {s.Gold:F2} | {s.Rule:F2} |");
            }
        }
        text.AppendLine();
    }
}
