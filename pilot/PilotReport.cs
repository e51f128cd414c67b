using System.Globalization;
using System.Text;
using OverOpt.Experiments.Analysis.Studies;
using OverOpt.Experiments.Figures;

namespace WorldPilot;

/// <summary>
/// The pilot's tables (markdown, on standard output) and figures (PNG) from the CSVs the train and rewards modes wrote:
/// language-model excess loss by size per world seed with the power law fitted to the proxies, and reward-model
/// validation loss by size with its line against log10 parameters through the per-seed points (the sweeps' own
/// <see cref="ScalingLine"/>), per world seed and pooled.
/// </summary>
internal static class PilotReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Run(Flags flags)
    {
        string figures = flags.String("figures", "docs");
        Directory.CreateDirectory(figures);
        var text = new StringBuilder();
        string lm = flags.String("lm", "");
        if (lm != "")
        {
            LanguageModels(LanguageModelRow.Read(lm), Path.Combine(figures, "world-pilot-lm-excess.png"), text);
        }
        string rewards = flags.String("rewards", "");
        string tag = flags.String("tag", "");
        var rewardRows = rewards == "" ? [] : File.ReadLines(rewards).Skip(1).Where(l => l.Length > 0).Select(RewardPilotRow.Parse).ToList();
        if (rewardRows.Count > 0)
        {
            RewardModels(rewardRows, Path.Combine(figures, $"world-pilot-rm-loss{tag}.png"), text);
        }
        string likelihood = flags.String("likelihood", "");
        if (likelihood != "")
        {
            var rows = File.ReadLines(likelihood).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
                .Select(f => (World: int.Parse(f[0]), Shape: f[1], Parameters: long.Parse(f[2]), Clean: D(f[3]), Cheer: D(f[4]), Violations: D(f[5]))).ToList();
            Likelihood(rows, rewardRows, Path.Combine(figures, $"world-pilot-agreement{tag}.png"), text);
        }
        string probe = flags.String("probe", "");
        if (probe != "")
        {
            Probe(File.ReadLines(probe).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
                .Select(f => (World: int.Parse(f[0]), Shape: f[1], Parameters: long.Parse(f[2]), Loss: D(f[3]), Clean: D(f[5]))).ToList(), text);
        }
        Console.Write(text.ToString());
    }

    /// <summary>The surprise probes: validation loss and clean agreement by language-model size, with the line through them.</summary>
    private static void Probe(IReadOnlyList<(int World, string Shape, long Parameters, double Loss, double Clean)> rows, StringBuilder text)
    {
        var worlds = rows.Select(r => r.World).Distinct().Order().ToList();
        text.AppendLine("Probes fitted on the training comparisons, scored on the validation comparisons (validation loss / agreement with the clean taste):");
        text.AppendLine();
        text.AppendLine("| features | LM parameters | " + string.Join(" | ", worlds.Select(w => $"world {w}")) + " |");
        text.AppendLine("|---|---:|" + string.Concat(worlds.Select(_ => "---|")));
        foreach (var shape in rows.GroupBy(r => r.Shape).OrderBy(g => g.First().Parameters))
        {
            string name = shape.Key == "words" ? "bag of words" : $"bag of words + log-likelihood of {shape.Key}{(shape.Key == PilotShapes.PiInit ? " (pi_init)" : "")}";
            var cells = worlds.Select(w => shape.Where(r => r.World == w).Select(r => string.Create(C, $"{r.Loss:F4} / {r.Clean:F3}")).FirstOrDefault("n/a"));
            text.AppendLine(string.Create(C, $"| {name} | {(shape.Key == "words" ? "-" : shape.First().Parameters.ToString("N0", C))} | ") + string.Join(" | ", cells) + " |");
        }
        text.AppendLine();
        var models = rows.Where(r => r.Shape != "words").ToList();
        foreach (int w in worlds)
        {
            var line = ScalingLine.Fit(models.Where(r => r.World == w).Select(r => (Math.Log10(r.Parameters), r.Loss)))!;
            text.AppendLine(C, $"World seed {w}: validation loss against log10 LM parameters {line.Describe("per decade", "F4")}.");
            text.AppendLine();
        }
        var pooled = ScalingLine.Fit(models.Select(r => (Math.Log10(r.Parameters), r.Loss)))!;
        text.AppendLine(C, $"Pooled over world seeds: {pooled.Describe("per decade", "F4")}: {(pooled.Falling ? "falls (interval below 0)" : "does not fall with its interval below 0")}.");
        text.AppendLine();
    }

    /// <summary>Zero-shot ranking by each language model's likelihood beside the trained reward models' agreement with the clean taste.</summary>
    private static void Likelihood(
        IReadOnlyList<(int World, string Shape, long Parameters, double Clean, double Cheer, double Violations)> rows, IReadOnlyList<RewardPilotRow> rewards, string figure, StringBuilder text)
    {
        var worlds = rows.Select(r => r.World).Distinct().Order().ToList();
        text.AppendLine("Agreement with the clean taste of each language model's log p(response | prompt), no training on comparisons (all pairs / violation-decided pairs):");
        text.AppendLine();
        text.AppendLine("| shape | parameters | " + string.Join(" | ", worlds.Select(w => $"world {w}")) + " |");
        text.AppendLine("|---|---:|" + string.Concat(worlds.Select(_ => "---|")));
        foreach (var shape in rows.GroupBy(r => r.Shape).OrderBy(g => g.First().Parameters))
        {
            string name = shape.Key == PilotShapes.PiInit ? $"{shape.Key} (pi_init)" : shape.Key;
            var cells = worlds.Select(w => shape.Where(r => r.World == w).Select(r => string.Create(C, $"{r.Clean:F3} / {r.Violations:F3}")).FirstOrDefault("n/a"));
            text.AppendLine(string.Create(C, $"| {name} | {shape.First().Parameters:N0} | ") + string.Join(" | ", cells) + " |");
        }
        text.AppendLine();
        var clean = ScalingLine.Fit(rows.Select(r => (Math.Log10(r.Parameters), r.Clean)))!;
        var violations = ScalingLine.Fit(rows.Select(r => (Math.Log10(r.Parameters), r.Violations)))!;
        text.AppendLine(C, $"Against log10 parameters, pooled over world seeds: all pairs {clean.Describe()}; violation-decided pairs {violations.Describe()}.");
        text.AppendLine();
        var series = new List<StudySeries>();
        foreach (int w in worlds)
        {
            var lm = rows.Where(r => r.World == w).OrderBy(r => r.Parameters).ToList();
            series.Add(new StudySeries($"language-model likelihood, world {w}", lm.Select(r => Math.Log10(r.Parameters)).ToArray(), lm.Select(r => r.Clean).ToArray(), Joined: true));
            var trained = rewards.Where(r => r.World == w).GroupBy(r => r.Parameters).OrderBy(g => g.Key).ToList();
            if (trained.Count > 0)
            {
                var summaries = trained.Select(g => SeedSummary.Of(g.Select(r => r.CleanAccuracy))).ToArray();
                series.Add(new StudySeries($"trained reward models, world {w}", trained.Select(g => Math.Log10(g.Key)).ToArray(), summaries.Select(s => s.Mean).ToArray(),
                    summaries.Select(s => s.Low).ToArray(), summaries.Select(s => s.High).ToArray(), Joined: true));
            }
        }
        StudyPlots.Draw(figure, "Agreement with the clean taste on held-out pairs", "log10 parameters", "share of pairs ordered as the taste orders them", series, [StudyPlots.Horizontal("chance", 0.5, series)]);
    }

    private static double D(string text) => double.Parse(text, C);

    private static void LanguageModels(IReadOnlyList<LanguageModelRow> rows, string figure, StringBuilder text)
    {
        var series = new List<StudySeries>();
        var lines = new List<StudyLine>();
        var exponents = new List<double>();
        foreach (var world in rows.GroupBy(r => r.World).OrderBy(g => g.Key))
        {
            var all = world.OrderBy(r => r.Parameters).ToList();
            var proxies = all.Where(r => r.Shape != PilotShapes.PiInit).ToList();
            var fit = PowerLawFit.Of(proxies.Select(r => (double)r.Parameters).ToArray(), proxies.Select(r => r.Excess).ToArray());
            double alpha = -fit.Slope, criticalN = Math.Exp(fit.Intercept / alpha);
            exponents.Add(alpha);
            bool falls = proxies.Zip(proxies.Skip(1), (a, b) => b.Loss < a.Loss).All(x => x);
            text.AppendLine(C, $"World seed {world.Key} ({all[0].Steps} steps, {all[0].Stories} stories; entropy of the held-out stories {all[0].Entropy:F4} nats/token):");
            text.AppendLine();
            text.AppendLine("| shape | parameters | seconds | held-out loss [95%] | excess over entropy [95%] |");
            text.AppendLine("|---|---:|---:|---|---|");
            foreach (var r in all)
            {
                string name = r.Shape == PilotShapes.PiInit ? $"{r.Shape} (pi_init)" : r.Shape;
                text.AppendLine(C, $"| {name} | {r.Parameters:N0} | {r.Seconds:F0} | {r.Loss:F4} [{r.LossLow:F4}, {r.LossHigh:F4}] | {r.Excess:F4} [{r.ExcessLow:F4}, {r.ExcessHigh:F4}] |");
            }
            text.AppendLine();
            text.AppendLine(C, $"Proxies: excess = (N_c/N)^alpha with alpha = {alpha:F3}, N_c = {criticalN:G3} parameters, log-log R^2 = {fit.RSquared:F3}; "
                + $"largest/smallest excess {proxies[^1].Excess / proxies[0].Excess:F3}; held-out loss falls at every proxy size step: {(falls ? "yes" : "no")}.");
            text.AppendLine();
            series.Add(new StudySeries($"world {world.Key}", Log(proxies.Select(r => (double)r.Parameters)), Log(proxies.Select(r => r.Excess)),
                Log(proxies.Select(r => r.ExcessLow)), Log(proxies.Select(r => r.ExcessHigh))));
            var piInit = all.Where(r => r.Shape == PilotShapes.PiInit).ToList();
            if (piInit.Count > 0)
            {
                series.Add(new StudySeries($"pi_init ({PilotShapes.PiInit}) world {world.Key}", Log(piInit.Select(r => (double)r.Parameters)), Log(piInit.Select(r => r.Excess))) { Background = true });
            }
            double x1 = Math.Log10(proxies[0].Parameters), x2 = Math.Log10(proxies[^1].Parameters);
            lines.Add(new StudyLine(lines.Count == 0 ? "power-law fits" : "", x1, (fit.Intercept + fit.Slope * x1 * Math.Log(10)) / Math.Log(10),
                x2, (fit.Intercept + fit.Slope * x2 * Math.Log(10)) / Math.Log(10)));
        }
        var summary = SeedSummary.Of(exponents);
        text.AppendLine(C, $"alpha over world seeds: {summary.Describe()} ({summary.Seeds} world seeds).");
        text.AppendLine();
        StudyPlots.Draw(figure, "Language models: excess loss over the exact entropy", "log10 parameters", "log10 excess (nats/token)", series, lines);
    }

    private static void RewardModels(IReadOnlyList<RewardPilotRow> rows, string figure, StringBuilder text)
    {
        var series = new List<StudySeries>();
        var lines = new List<StudyLine>();
        foreach (var world in rows.GroupBy(r => r.World).OrderBy(g => g.Key))
        {
            var first = world.First();
            text.AppendLine(C, $"World seed {world.Key}: {first.Comparisons} training comparisons, {first.Epochs} epochs, seeds {string.Join(", ", world.Select(r => r.Seed).Distinct().Order())}; means over seeds [95% interval]:");
            text.AppendLine();
            text.AppendLine("| proxy | parameters | seconds | validation loss | validation accuracy | accuracy vs clean taste | cheer-decided pairs | violation-decided pairs |");
            text.AppendLine("|---|---:|---:|---|---|---|---|---|");
            var sizes = world.GroupBy(r => r.Parameters).OrderBy(g => g.Key).ToList();
            foreach (var size in sizes)
            {
                text.AppendLine(C, $"| tf-{size.First().Shape} | {size.Key:N0} | {size.Average(r => r.Seconds):F0} | {S(size, r => r.ValidationLoss, "F4")} | {S(size, r => r.ValidationAccuracy)} "
                    + $"| {S(size, r => r.CleanAccuracy)} | {S(size, r => r.CheerAccuracy)} | {S(size, r => r.ViolationAccuracy)} |");
            }
            text.AppendLine();
            var line = ScalingLine.Fit(world.Select(r => (Math.Log10(r.Parameters), r.ValidationLoss)))!;
            var clean = ScalingLine.Fit(world.Select(r => (Math.Log10(r.Parameters), r.CleanAccuracy)))!;
            text.AppendLine(C, $"Validation loss against log10 parameters: {line.Describe("per decade", "F4")}: {(line.Falling ? "falls (interval below 0)" : "does not fall with its interval below 0")}. "
                + $"Accuracy against the clean taste: {clean.Describe()}.");
            text.AppendLine();
            var x = sizes.Select(g => Math.Log10(g.Key)).ToArray();
            var summaries = sizes.Select(g => SeedSummary.Of(g.Select(r => r.ValidationLoss))).ToArray();
            series.Add(new StudySeries($"world {world.Key}", x, summaries.Select(s => s.Mean).ToArray(), summaries.Select(s => s.Low).ToArray(), summaries.Select(s => s.High).ToArray(), Joined: true));
            series.Add(new StudySeries("", world.Select(r => Math.Log10(r.Parameters)).ToArray(), world.Select(r => r.ValidationLoss).ToArray()) { Background = true });
        }
        if (rows.Select(r => r.World).Distinct().Count() > 1)
        {
            var pooled = ScalingLine.Fit(rows.Select(r => (Math.Log10(r.Parameters), r.ValidationLoss)))!;
            var perWorld = rows.GroupBy(r => r.World).Select(g => ScalingLine.Fit(g.Select(r => (Math.Log10(r.Parameters), r.ValidationLoss)))!.Slope).ToList();
            text.AppendLine(C, $"Pooled over world seeds: {pooled.Describe("per decade", "F4")}; the per-world slopes {string.Join(", ", perWorld.Select(s => s.ToString("F4", C)))} average {SeedSummary.Of(perWorld).Describe("F4")} over world seeds.");
            text.AppendLine();
            lines.Add(new StudyLine("pooled fit", rows.Min(r => Math.Log10(r.Parameters)), pooled.At(rows.Min(r => Math.Log10(r.Parameters))),
                rows.Max(r => Math.Log10(r.Parameters)), pooled.At(rows.Max(r => Math.Log10(r.Parameters)))));
        }
        lines.Add(StudyPlots.Horizontal("chance (ln 2)", Math.Log(2), series));
        StudyPlots.Draw(figure, "Reward models: validation loss by size (25% label noise)", "log10 parameters", "validation loss (nats)", series, lines);
    }

    private static string S(IEnumerable<RewardPilotRow> rows, Func<RewardPilotRow, double> value, string format = "F3") => SeedSummary.Of(rows.Select(value)).Describe(format);

    private static double[] Log(IEnumerable<double> values) => values.Select(Math.Log10).ToArray();
}
