using System.Globalization;
using System.Text;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;

namespace OverOpt.Experiments.Reporting;

/// <summary>The best-of-n part of report.md: fits, figures, and the responses best-of-n picks.</summary>
internal static class BestOfNSection
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Append(StringBuilder text, PipelineDefinition pipeline, BestOfNOutcome bon, IPreferenceRule rule, WordTokenizer tokenizer)
    {
        var curves = bon.Curves;
        text.AppendLine("## Proxies and best-of-n fits");
        text.AppendLine();
        text.AppendLine(C, $"N = {pipeline.BestOfN.SamplesPerPrompt} samples for each of {pipeline.BestOfN.Prompts} held-out prompts; n up to {pipeline.BestOfN.MaxN}; 95% intervals from {pipeline.BestOfN.BootstrapResamples} bootstrap resamples of prompts. Fit: R_bon(d) = d(alpha - beta d) on gold, d = sqrt(ln n - (n-1)/n), every point with n > 1.");
        text.AppendLine();
        text.AppendLine("| proxy | kind | params | val. loss | val. acc. | alpha [95%] | beta [95%] | R^2 | fitted peak d* | observed peak: n, gold [95%] | gold at max n | rule at max n | overoptimized |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var curve in curves)
        {
            var i = curve.Proxy.Info;
            var f = curve.Result.Fit;
            var v = curve.Verdict;
            var peak = curve.Result.Points[v.PeakIndex];
            text.AppendLine(C, $"| {i.Name} | {i.Kind} | {i.Parameters:N0} | {i.ValidationLoss:F3} | {i.ValidationAccuracy:F3} | {f.Alpha:F3} [{f.AlphaLow:F3}, {f.AlphaHigh:F3}] | {f.Beta:F3} [{f.BetaLow:F3}, {f.BetaHigh:F3}] | {f.RSquared:F3} | {f.PeakD:F2} [{f.PeakDLow:F2}, {f.PeakDHigh:F2}] | {peak.N}, {v.PeakGold:F3} [{v.PeakCiLow:F3}, {v.PeakCiHigh:F3}] | {v.LastGold:F3} | {curve.Result.Points[^1].RuleScore:F3} | {(v.Overoptimized ? "yes" : "no")} |");
        }
        text.AppendLine();
        text.AppendLine("![gold and proxy against d](bon-scores-vs-d.png)");
        text.AppendLine();
        text.AppendLine("![gold against proxy](gold-vs-proxy.png)");
        text.AppendLine();
        AppendExample(text, curves, bon, rule, tokenizer, pipeline.BestOfN.SamplesPerPrompt);
    }

    /// <summary>For the first prompt and the proxy that overoptimizes most, the response best-of-n picks at several n.</summary>
    private static void AppendExample(StringBuilder text, IReadOnlyList<ProxyCurve> curves, BestOfNOutcome bon, IPreferenceRule rule, WordTokenizer tokenizer, int perPrompt)
    {
        var cheer = rule.Edits.Raising.ToHashSet(StringComparer.Ordinal);
        var samples = bon.Samples;
        var curve = curves.OrderByDescending(x => x.Verdict.PeakGold - x.Verdict.LastGold).First();
        text.AppendLine(C, $"## What `{curve.Proxy.Name}` rewards that gold does not");
        text.AppendLine();
        text.AppendLine(C, $"Prompt: `{tokenizer.Decode(samples[0].Prompt)}`. The response best-of-n picks from the first n of its {perPrompt} samples:");
        text.AppendLine();
        text.AppendLine("| n | response | cheer words | proxy | gold |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var (n, index) in curve.Result.SelectionByN.OrderBy(kv => kv.Key).Where((_, k) => k % 2 == 0 || k == curve.Result.SelectionByN.Count - 1))
        {
            var response = samples[index].Response;
            text.AppendLine(C, $"| {n} | {tokenizer.Decode(response)} | {response.Count(id => cheer.Contains(tokenizer.TokenText(id)))} | {curve.ProxyScores[index]:F2} | {bon.GoldScores[index]:F2} |");
        }
        text.AppendLine();
        int best = Enumerable.Range(0, samples.Count).MaxBy(i => bon.GoldScores[i]);
        text.AppendLine(C, $"The highest-gold response among all {samples.Count:N0} best-of-n samples (gold {bon.GoldScores[best]:F2}): `{tokenizer.Decode(samples[best].Prompt)}` || `{tokenizer.Decode(samples[best].Response)}`");
        text.AppendLine();
    }
}
