using System.Globalization;
using System.Text;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.SeedStatistics;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.Reporting;

/// <summary>
/// report.md's iterated RLHF section (sec. 4.3): for each k, the seed means of the total distance, of gold and of the gain
/// over one round (paired by seed, seed-level intervals) beside the prediction beta_RL d ln k, beta_RL the single round's
/// R_RL fit (seed-mean curve); the figure gold against total d by k with the predicted curves.
/// </summary>
internal static class IteratedRlhfSection
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The finding's statement.</summary>
    public const string Claim = "iterated RLHF: k rounds of d/k each gain beta_RL d ln k over one round at the same total d (sec. 4.3)";

    /// <summary>Appends the section, its finding judged in it, and returns the finding.</summary>
    public static Finding Append(StringBuilder text, IReadOnlyList<IteratedRlhfRun> runs, string output)
    {
        text.AppendLine("## Iterated RLHF (sec. 4.3)");
        text.AppendLine();
        text.AppendLine("k rounds, each: new comparisons of the current policy's samples labelled by gold (with the pipeline's label noise), a proxy retrained on every comparison so far, and PPO from the current policy until its exact KL from the round's start reaches the total KL / k^2, so that the rounds' distances add up to the same total d for every k. Gold is summed over rounds (each round's gain against its own start, on the held-out prompts); `gold from pi_init` measures the last policy directly. Gains over one round are paired by seed; intervals seed-level 95%. The prediction beta_RL d ln k uses the single round's R_RL fit.");
        text.AppendLine();
        var single = runs.Where(r => r.Rounds == 1).OrderBy(r => r.Seed).ToList();
        GoldCurveFit? fit = null;
        if (single.Count > 0 && single.All(r => r.FirstCurve.Count > 0))
        {
            var mean = SeedMeanCurve.Of(single.Select(r => r.FirstCurve).ToList());
            fit = SeedMeanCurve.Fit(GoldCurveForm.ReinforcementLearning, mean, single.Select(r => r.FirstFit).ToList());
        }
        text.AppendLine("| k | seeds | steps (all rounds) | total d | KL from pi_init | gold (summed) [95%] | gold from pi_init | gain over k = 1 [95%] | predicted beta_RL d ln k |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        var parts = new List<(bool Holds, string Text)>();
        var series = new List<StudySeries>();
        foreach (var group in runs.GroupBy(r => r.Rounds).OrderBy(g => g.Key))
        {
            var members = group.OrderBy(r => r.Seed).ToList();
            var gold = SeedInterval.Of(members.Select(r => r.Last.TotalGold));
            double d = members.Average(r => r.Last.TotalD);
            var gain = SeedInterval.Of(members.Select(r => single.FirstOrDefault(s => s.Seed == r.Seed) is { } one ? r.Last.TotalGold - one.Last.TotalGold : double.NaN));
            double predicted = fit is null ? double.NaN : fit.Beta * d * Math.Log(group.Key);
            text.AppendLine(C, $"| {group.Key} | {members.Count} | {members.Average(r => r.RoundResults.Sum(x => x.Steps)):F0} | {d:F2} | {members.Average(r => r.KlFromInit):F2} | {gold.Mean:F3} [{gold.Low:F3}, {gold.High:F3}] | {members.Average(r => r.GoldFromInit):F3} | {(group.Key == 1 ? "" : $"{gain.Mean:F3} [{gain.Low:F3}, {gain.High:F3}]")} | {(group.Key == 1 ? "" : predicted.ToString("F3", C))} |");
            if (group.Key > 1 && double.IsFinite(predicted) && double.IsFinite(gain.Low))
            {
                parts.Add((predicted >= gain.Low && predicted <= gain.High, string.Create(C, $"k {group.Key}: gain {gain.Mean:F3} [{gain.Low:F3}, {gain.High:F3}], predicted {predicted:F3} at d {d:F2}")));
            }
            int rounds = group.Key;
            var x = new[] { 0.0 }.Concat(Enumerable.Range(0, rounds).Select(i => members.Average(r => r.RoundResults[i].TotalD))).ToArray();
            var y = new[] { 0.0 }.Concat(Enumerable.Range(0, rounds).Select(i => members.Average(r => r.RoundResults[i].TotalGold))).ToArray();
            series.Add(new StudySeries($"k = {rounds} (seed means)", x, y, Joined: true, MarkerSize: 6));
            if (fit is not null)
            {
                var grid = Enumerable.Range(1, 40).Select(i => d * i / 40).ToArray();
                series.Add(new StudySeries($"k = {rounds}: d(alpha - beta ln d + beta ln {rounds})", grid,
                    grid.Select(v => v * (fit.Alpha - fit.Beta * Math.Log(v) + fit.Beta * Math.Log(rounds))).ToArray(), Joined: true, MarkerSize: 0));
            }
        }
        text.AppendLine();
        if (fit is not null)
        {
            text.AppendLine(C, $"The single round's R_RL fit: alpha {fit.Alpha:F3}, beta_RL {fit.Beta:F3} (R^2 {fit.RSquared:F3}).");
            text.AppendLine();
        }
        StudyPlots.Draw(Path.Combine(output, OutputFiles.IteratedRlhfFigure), "Iterated RLHF: gold against total d by rounds k", "total d (sum of the rounds' distances)", "gold gained", series);
        text.AppendLine(C, $"![{OutputFiles.IteratedRlhfFigure}]({OutputFiles.IteratedRlhfFigure})");
        text.AppendLine();
        var finding = parts.Count == 0 ? Finding.NotMeasured("8", Claim, "no k > 1 beside a fitted single round")
            : Finding.Judged("8", Claim, parts.All(p => p.Holds), $"{string.Join("; ", parts.Select(p => p.Text))}; criterion: the prediction lies inside the measured gain's seed-level interval for every k > 1");
        text.AppendLine(C, $"Finding: {finding.Statement}: **{finding.VerdictText}**. {finding.Numbers}.");
        text.AppendLine();
        return finding;
    }
}
