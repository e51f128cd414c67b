using System.Globalization;
using System.Text;
using OverOpt.Experiments.Outcomes;

namespace OverOpt.Experiments.Reporting;

/// <summary>report.md's direct alignment section: each (loss, beta)'s seed-mean gold peak, where it lies in epochs, the end, and the R_RL fit.</summary>
internal static class DirectAlignmentSection
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Append(StringBuilder text, IReadOnlyList<DirectAlignmentConfiguration> configurations)
    {
        text.AppendLine("## Direct alignment (no reward model)");
        text.AppendLine();
        text.AppendLine("The policy fitted to the proxies' training comparisons by DPO, IPO or SLiC (reference pi_init), evaluated on the held-out prompts as PPO is. The \"proxy\" is the implicit reward beta x log(pi / pi_init) of each sample. Seed means with seed-level 95% intervals; R(d) = d(alpha - beta_RL ln d) fitted to the mean gold.");
        text.AppendLine();
        text.AppendLine("| loss | beta | seeds | gold peak [95%] | at step (epochs) and d | gold at the end | final KL | overoptimized | alpha | beta_RL | R^2 |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var c in configurations)
        {
            var v = c.Verdict;
            var peak = c.MeanCurve[v.PeakIndex];
            double epochs = peak.Step / c.Seeds[0].StepsPerEpoch;
            var f = c.MeanFit;
            text.AppendLine(C, $"| {c.Loss} | {c.Beta:G3} | {c.Seeds.Count} | {v.PeakGold:F3} [{v.PeakCiLow:F3}, {v.PeakCiHigh:F3}] | {peak.Step:F0} ({epochs:F2}), d {peak.D:F2} | {v.LastGold:F3} | {c.MeanCurve[^1].Kl:F2} | {(v.Overoptimized ? "yes" : "no")} | {(f is null ? "n/a" : f.Alpha.ToString("F3", C))} | {(f is null ? "n/a" : f.Beta.ToString("F3", C))} | {(f is null ? "n/a" : f.RSquared.ToString("F3", C))} |");
        }
        text.AppendLine();
    }
}
