using System.Globalization;
using System.Text;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Pipelines;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.Reporting;

/// <summary>report.md: what was run, the reward models, the fits, the figures, and what the proxy rewards that gold does not.</summary>
internal static class ReportWriter
{
    public static void Write(string path, PipelineDefinition pipeline, PipelineResult result, RewardModel gold, BestOfNOutcome? bon, WordTokenizer tokenizer)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"# Overoptimization report: pipeline `{pipeline.Name}` (seed {pipeline.Seed})");
        text.AppendLine();
        text.AppendLine(c, $"Corpus {result.Corpus}; pi_init = policy `{pipeline.Policies[0].Name}` ({result.Policies[0].Shape}, {result.Policies[0].Parameters:N0} parameters).");
        text.AppendLine(c, $"Wall time {result.WallSeconds:F0} s. Every number below is in `curves.csv`, `fits.csv`, `reward_models.csv` and `summary.json` beside this file.");
        text.AppendLine();
        text.AppendLine("## Gold");
        text.AppendLine();
        text.AppendLine(c, $"A transformer reward model of {gold.Info.Parameters:N0} parameters trained to reproduce a reader's taste (`GoldPreference`): words of joy, play and kindness have diminishing and then negative returns (the first is worth 1, each further one 0.7 less: 1, 0.3, -0.4, -1.1, ...), sad words cost 1, a content word used a third time costs 0.5, each finished sentence is worth 0.3. pi_init's responses seldom hold more than three such words, so its comparisons mostly teach \"more cheer is better\"; that is the out-of-distribution feature an optimizer can exploit.");
        text.AppendLine();
        foreach (var (name, value) in gold.Info.Metrics)
        {
            text.AppendLine(c, $"- {name}: {value:F3}");
        }
        text.AppendLine();
        text.AppendLine(c, $"Comparisons: {pipeline.Comparisons.Count} pairs of pi_init responses labelled by gold, {pipeline.Comparisons.LabelNoise * 100:F0}% of labels flipped, {pipeline.Comparisons.ValidationFraction * 100:F0}% held out.");
        text.AppendLine();
        if (bon is not null)
        {
            AppendBestOfN(text, pipeline, bon, tokenizer);
        }
        if (result.Ppo.Count > 0)
        {
            AppendPpo(text, pipeline, result);
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static void AppendBestOfN(StringBuilder text, PipelineDefinition pipeline, BestOfNOutcome bon, WordTokenizer tokenizer)
    {
        var c = CultureInfo.InvariantCulture;
        var curves = bon.Curves;
        text.AppendLine("## Proxies and best-of-n fits");
        text.AppendLine();
        text.AppendLine(c, $"N = {pipeline.BestOfN.SamplesPerPrompt} samples for each of {pipeline.BestOfN.Prompts} held-out prompts; n up to {pipeline.BestOfN.MaxN}; 95% intervals from {pipeline.BestOfN.BootstrapResamples} bootstrap resamples of prompts. Fit: R_bon(d) = d(alpha - beta d) on gold, d = sqrt(ln n - (n-1)/n).");
        text.AppendLine();
        text.AppendLine("| proxy | kind | params | val. loss | val. acc. | alpha [95%] | beta [95%] | R^2 | fitted peak d* | observed peak: n, gold [95%] | gold at max n | overoptimized |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var curve in curves)
        {
            var i = curve.Proxy.Info;
            var f = curve.Result.Fit;
            var v = curve.Verdict;
            var peak = curve.Result.Points[v.PeakIndex];
            text.AppendLine(c, $"| {i.Name} | {i.Kind} | {i.Parameters:N0} | {i.ValidationLoss:F3} | {i.ValidationAccuracy:F3} | {f.Alpha:F3} [{f.AlphaLow:F3}, {f.AlphaHigh:F3}] | {f.Beta:F3} [{f.BetaLow:F3}, {f.BetaHigh:F3}] | {f.RSquared:F3} | {f.PeakD:F2} [{f.PeakDLow:F2}, {f.PeakDHigh:F2}] | {peak.N}, {v.PeakGold:F3} [{v.PeakCiLow:F3}, {v.PeakCiHigh:F3}] | {v.LastGold:F3} | {(v.Overoptimized ? "yes" : "no")} |");
        }
        text.AppendLine();
        text.AppendLine("![gold and proxy against d](bon-scores-vs-d.png)");
        text.AppendLine();
        text.AppendLine("![gold against proxy](gold-vs-proxy.png)");
        text.AppendLine();
        AppendExample(text, curves, bon.Samples, bon.GoldScores, tokenizer, pipeline.BestOfN.SamplesPerPrompt);
    }

    private static void AppendPpo(StringBuilder text, PipelineDefinition pipeline, PipelineResult result)
    {
        var c = CultureInfo.InvariantCulture;
        var spec = pipeline.Ppo;
        text.AppendLine("## PPO");
        text.AppendLine();
        text.AppendLine(c, $"pi_init optimized against each proxy for {spec.Steps} steps of {spec.BatchSize} responses, beta = {spec.KlCoefficient} (the exact per-token KL over the vocabulary drives the penalty and is the KL of every curve; the k1 and k3 estimates are logged beside it, per step in `ppo-<proxy>.csv` and per evaluation in `curves.csv`), {spec.PpoEpochs} PPO epochs of {spec.MiniBatches} minibatches, learning rate {spec.LearningRate} annealed. Every {spec.EvaluationInterval} steps: {spec.EvaluationSamples} fresh responses to held-out prompts scored by the proxy and by gold (95% normal intervals), KL(pi || pi_init) exact. Fit: R_RL(d) = d(alpha - beta ln d).");
        text.AppendLine();
        text.AppendLine("| proxy | alpha [95%] | beta [95%] | R^2 | fitted peak d* | observed gold peak: step, gold [95%] | final gold | final proxy | final KL | overoptimized | seconds |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in result.Ppo)
        {
            var f = r.Fit;
            string fit = f is null ? "| - | - | - | - " : $"| {f.Alpha:F3} [{f.AlphaLow:F3}, {f.AlphaHigh:F3}] | {f.Beta:F3} [{f.BetaLow:F3}, {f.BetaHigh:F3}] | {f.RSquared:F3} | {f.PeakD:F2} ";
            text.AppendLine(c, $"| {r.Proxy} {fit}| {r.PeakStep}, {r.Verdict.PeakGold:F3} [{r.Verdict.PeakCiLow:F3}, {r.Verdict.PeakCiHigh:F3}] | {r.Verdict.LastGold:F3} | {r.FinalProxy:F3} | {r.FinalKl:F2} | {(r.Verdict.Overoptimized ? "yes" : "no")} | {r.Seconds:F0} |");
        }
        text.AppendLine();
        text.AppendLine("![PPO: gold and proxy against d](rl-scores-vs-d.png)");
        text.AppendLine();
    }

    /// <summary>For the first prompt and the proxy that overoptimizes most, the response best-of-n picks at several n.</summary>
    private static void AppendExample(StringBuilder text, IReadOnlyList<ProxyCurve> curves, IReadOnlyList<PolicySample> samples, float[] goldScores, WordTokenizer tokenizer, int perPrompt)
    {
        var c = CultureInfo.InvariantCulture;
        var curve = curves.OrderByDescending(x => x.Verdict.PeakGold - x.Verdict.LastGold).First();
        text.AppendLine(c, $"## What `{curve.Proxy.Name}` rewards that gold does not");
        text.AppendLine();
        text.AppendLine(c, $"Prompt: `{tokenizer.Decode(samples[0].Prompt)}`. The response best-of-n picks from the first n of its {perPrompt} samples:");
        text.AppendLine();
        text.AppendLine("| n | response | cheer words | proxy | gold |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var (n, index) in curve.Result.SelectionByN.OrderBy(kv => kv.Key).Where((_, k) => k % 2 == 0 || k == curve.Result.SelectionByN.Count - 1))
        {
            var response = samples[index].Response;
            text.AppendLine(c, $"| {n} | {tokenizer.Decode(response)} | {GoldPreference.CheerCount(tokenizer, response)} | {curve.ProxyScores[index]:F2} | {goldScores[index]:F2} |");
        }
        text.AppendLine();
    }
}
