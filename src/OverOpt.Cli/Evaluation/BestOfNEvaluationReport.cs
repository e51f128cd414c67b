using System.Globalization;
using System.Text;
using OverOpt.Experiments.Files;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.BestOfN;

namespace OverOpt.Cli.Evaluation;

/// <summary>report.md of <c>overopt evaluate bon</c>: the input, the method, one row per curve, the figures, and what was left out.</summary>
internal static class BestOfNEvaluationReport
{
    public static void Write(string path, EvaluationInput input, BestOfNEvaluationResult result)
    {
        var c = CultureInfo.InvariantCulture;
        var o = input.Options;
        var text = new StringBuilder();
        text.AppendLine(c, $"# Best-of-n evaluation of `{Path.GetFileName(input.Path)}`");
        text.AppendLine();
        text.AppendLine(c, $"Data: `{input.Path}`{(input.Table is null ? "" : $", table `{input.Table}`")}; prompt column `{o.PromptColumnName}`, proxy column(s) {string.Join(", ", o.ProxyColumnNames.Select(n => $"`{n}`"))}, gold column `{o.GoldColumnName}`.");
        text.AppendLine(c, $"{result.Prompts} prompts and {result.Samples} samples evaluated; n from 1 to {result.MaxN}{(o.MaxN is null ? " (the fewest samples any prompt has)" : "")}, {o.Points} points spaced evenly in d = sqrt(ln n - (n-1)/n); {(result.Prompts >= 2 ? $"95% intervals from {o.BootstrapResamples} bootstrap resamples of prompts (seed {o.Seed})" : "no intervals (left empty in curves.csv and fits.csv): a bootstrap over prompts needs at least 2 prompts, and 1 was evaluated")}.");
        text.AppendLine("Best-of-n is estimated without bias from all N samples of each prompt (Nakano et al.), samples tied on the objective share their mean gold; `kl_measured` in `curves.csv` is the KL measured from the samples, `kl` the analytic value. Fit: R_bon(d) = d(alpha - beta d) on gold.");
        text.AppendLine(result.Normalization.Count == 0
            ? "Scores as given (--raw-scores): the fit assumes gold 0 at n = 1."
            : "Every score column was normalized to mean 0, std 1 over the evaluated samples before anything else (value' = (value - mean) / std): "
              + string.Join("; ", result.Normalization.Select(n => string.Format(c, "`{0}` mean {1:G4}, std {2:G4}", n.Column, n.Mean, n.StandardDeviation))) + ".");
        if (o.ProxyColumnNames.Length > 1)
        {
            text.AppendLine(c, $"Ensemble of the {o.ProxyColumnNames.Length} proxy columns (Coste et al. 2024): `ensemble-mean` (mean of the members), `ensemble-min` (worst case: the lowest member), `ensemble-uwo-{o.UncertaintyPenalty.ToString("R", c)}` (mean - {o.UncertaintyPenalty.ToString("R", c)} x population variance of the members).");
        }
        text.AppendLine();
        text.AppendLine("| curve | alpha [95%] | beta [95%] | R^2 | fitted peak d* | observed gold peak: n, gold [95%] | gold at max n | proxy at max n | overoptimized |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in result.Objectives)
        {
            var f = r.Fit;
            var v = r.Verdict;
            text.AppendLine(c, $"| {r.Label} | {f.Alpha:F3} [{f.AlphaLow:F3}, {f.AlphaHigh:F3}] | {f.Beta:F3} [{f.BetaLow:F3}, {f.BetaHigh:F3}] | {f.RSquared:F3} | {f.PeakD:F2} | {r.Curve[v.PeakIndex].N}, {v.PeakGold:F3} [{v.PeakCiLow:F3}, {v.PeakCiHigh:F3}] | {v.LastGold:F3} | {r.Curve[^1].ProxyScore:F3} | {(v.Overoptimized ? "yes" : "no")} |");
        }
        text.AppendLine();
        text.AppendLine(c, $"![gold and proxy against d]({OutputFiles.BestOfNScoresFigure})");
        text.AppendLine();
        text.AppendLine(c, $"![gold against proxy]({OutputFiles.GoldAgainstProxyFigure})");
        text.AppendLine();
        text.AppendLine("## Rules applied to the input");
        text.AppendLine();
        text.AppendLine(c, $"- Prompts with fewer than {result.MaxN} samples are left out (the estimator needs N >= n): {(result.LeftOutPrompts.Count == 0 ? "none." : $"{result.LeftOutPrompts.Count}:")}");
        foreach (var p in result.LeftOutPrompts)
        {
            text.AppendLine(c, $"  - `{p.PromptId}`: {p.Samples} samples");
        }
        text.AppendLine(c, $"- Rows that repeat an earlier row of their prompt exactly (same id and scores) are kept as samples, since a policy can repeat a response: {result.RepeatedRows}.");
        AtomicFile.WriteAllText(path, text.ToString());
    }
}
