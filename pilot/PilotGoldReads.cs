using Microsoft.ML;
using OverOpt.Experiments.Analysis.Studies;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// What a trained gold network learnt of the reader, read on the pairs gold is used for: for each finished task of
/// <c>--tasks</c> that trained gold (its log names the gold cache file), gold scores the task's comparisons
/// (<c>--split</c>, default train: gold never saw these responses) and the pilot prints its agreement with the reader's
/// noise-free order on pairs of one prompt (what labelling comparisons and best-of-n ask of gold) and on pairs of two
/// prompts (each chosen response against the next pair's rejected one: what the trainer's held-out metrics measure),
/// per term of <see cref="StoryTasteRule.TermsOf"/> where the term is pivotal (<see cref="RuleTermAgreement.IsPivotal"/>), on the pairs sombre and welcome cheer decide
/// (<see cref="SombrePairTruth"/>), gold's mean score by a response's cheer words, in and out of sombre stories,
/// beside the reader's, and its residual on responses with an effect break, by kind and feeling.
/// </summary>
internal static class PilotGoldReads
{
    public static void Run(Flags flags)
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.SetThreads(flags.Int("threads", 1));
        string split = flags.String("split", "train");
        string tasks = flags.TasksFolder();
        foreach (var task in SweepTask.Finished(tasks))
        {
            string? gold = task.GoldFile();
            if (gold is null)
            {
                Say($"{task.Folder}: its log names no trained gold; skipped");
                continue;
            }
            Read(task, gold, split);
        }
        string output = flags.String("out", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tasks))!, $"gold-reads-{split}.txt"));
        File.WriteAllLines(output, Lines);
        Console.WriteLine($"wrote {output}");
    }

    private static readonly List<string> Lines = [];

    private static void Say(string line)
    {
        Lines.Add(line);
        Console.WriteLine(line);
    }

    private static void Read(SweepTask task, string goldPath, string split)
    {
        var reader = task.SombreReader();
        var pairs = SweepComparisons.Read(task.Folder, split);
        using var gold = RewardModel.Load(new MLContext(1), goldPath);
        var prompts = pairs.Select(p => p.Prompt).ToArray();
        var chosen = gold.ScoreText(prompts, pairs.Select(p => p.Chosen).ToArray());
        var rejected = gold.ScoreText(prompts, pairs.Select(p => p.Rejected).ToArray());
        var chosenParts = pairs.Select(p => reader.Explain(SweepComparisons.Pair.Words(p.Prompt), SweepComparisons.Pair.Words(p.Chosen))).ToArray();
        var rejectedParts = pairs.Select(p => reader.Explain(SweepComparisons.Pair.Words(p.Prompt), SweepComparisons.Pair.Words(p.Rejected))).ToArray();
        Say($"\nworld {task.World.EffectiveSeed}, gold {Path.GetFileName(goldPath)}, {pairs.Length} {split} pairs");

        // Each response read as the rule's terms once; a pair side is (total, terms, gold's score).
        var chosenSides = Enumerable.Range(0, pairs.Length).Select(i => Side(reader, chosenParts[i], chosen[i])).ToArray();
        var rejectedSides = Enumerable.Range(0, pairs.Length).Select(i => Side(reader, rejectedParts[i], rejected[i])).ToArray();
        var samePrompt = Enumerable.Range(0, pairs.Length).Select(i => (A: chosenSides[i], B: rejectedSides[i])).ToArray();
        var twoPrompts = Enumerable.Range(0, pairs.Length - 1).Select(i => (A: chosenSides[i], B: rejectedSides[i + 1])).ToArray();
        var names = chosenSides[0].Terms.Keys.ToArray();
        Say("pairs | all (reader not tied) | " + string.Join(" | ", names));
        foreach (var (name, set) in new[] { ("one prompt", samePrompt), ("two prompts", twoPrompts) })
        {
            var all = set.Where(p => p.A.Total != p.B.Total).Select(p => Agrees(p.A.Total - p.B.Total, p.A.Gold, p.B.Gold)).ToArray();
            var cells = names.Select(term =>
            {
                var pivotal = set.Where(p => RuleTermAgreement.IsPivotal(p.A.Total - p.B.Total, p.A.Terms[term] - p.B.Terms[term]))
                    .Select(p => Agrees(p.A.Total - p.B.Total, p.A.Gold, p.B.Gold)).ToArray();
                return pivotal.Length == 0 ? "-" : $"{pivotal.Average():F3} ({pivotal.Length})";
            });
            Say($"{name} | {all.Average():F3} ({all.Length}) | {string.Join(" | ", cells)}");
        }

        var truth = pairs.Select(p => SombrePairTruth.Of(reader, p)).ToArray();
        var sombre = Enumerable.Range(0, pairs.Length).Where(i => truth[i].Pivotal).Select(i => truth[i].Agreement(chosen[i], rejected[i])).ToArray();
        var welcome = Enumerable.Range(0, pairs.Length).Where(i => truth[i].WelcomePivotal).Select(i => truth[i].Agreement(chosen[i], rejected[i])).ToArray();
        Say($"one prompt: sombre cheer decides {Mean(sombre)} ({sombre.Length}), welcome cheer decides {Mean(welcome)} ({welcome.Length})");
        foreach (string word in reader.Options.CheerWords.Order(StringComparer.Ordinal))
        {
            // Pairs whose two responses differ in how often they say this cheer word, by the kind of pair.
            bool Differs(int i) => SweepComparisons.Pair.Words(pairs[i].Chosen).Count(w => w == word) != SweepComparisons.Pair.Words(pairs[i].Rejected).Count(w => w == word);
            var s = Enumerable.Range(0, pairs.Length).Where(i => truth[i].Pivotal && Differs(i)).Select(i => truth[i].Agreement(chosen[i], rejected[i])).ToArray();
            var w = Enumerable.Range(0, pairs.Length).Where(i => truth[i].WelcomePivotal && Differs(i)).Select(i => truth[i].Agreement(chosen[i], rejected[i])).ToArray();
            Say($"  '{word}' differs: sombre cheer decides {Mean(s)} ({s.Length}), welcome cheer decides {Mean(w)} ({w.Length})");
        }

        // Both responses of every pair, for the means by cheer words.
        var responses = Enumerable.Range(0, pairs.Length)
            .SelectMany(i => new[] { (Parts: chosenParts[i], Words: SweepComparisons.Pair.Words(pairs[i].Chosen), Gold: (double)chosen[i]), (Parts: rejectedParts[i], Words: SweepComparisons.Pair.Words(pairs[i].Rejected), Gold: (double)rejected[i]) })
            .ToArray();
        PrintMarginal(reader, responses);
        PrintEffects(task, reader, pairs, responses);
        Say("cheer words | story | responses | reader mean | gold mean (responses with no other break)");
        foreach (var group in responses
            .Where(r => r.Parts.Violations.Keys.All(k => k == ViolationKind.Contradiction) && r.Parts.Count(ViolationKind.Contradiction) == r.Parts.SombreCheerWords)
            .GroupBy(r => (Cheer: Math.Min(r.Words.Count(reader.Options.CheerWords.Contains), 4), Sombre: r.Parts.SombreCheerWords > 0))
            .OrderBy(g => g.Key.Sombre).ThenBy(g => g.Key.Cheer))
        {
            Say($"{(group.Key.Cheer == 4 ? "4+" : group.Key.Cheer.ToString())} | {(group.Key.Sombre ? "sombre" : "welcome")} | {group.Count()} | {group.Average(r => r.Parts.Total):F3} | {group.Average(r => r.Gold):F3}");
        }
    }

    /// <summary>The reader's and gold's mean score by a response's cheer words over all responses: what a regression that cannot see the breaks would learn of cheer.</summary>
    private static void PrintMarginal(StoryTaste reader, IEnumerable<(TasteBreakdown Parts, string[] Words, double Gold)> responses)
    {
        Say("cheer words | responses | share in a sombre story | share with another break | reader mean | gold mean (all responses)");
        foreach (var group in responses.GroupBy(r => Math.Min(r.Words.Count(reader.Options.CheerWords.Contains), 4)).OrderBy(g => g.Key))
        {
            Say($"{(group.Key == 4 ? "4+" : group.Key.ToString())} | {group.Count()} | {group.Average(r => r.Parts.SombreCheerWords > 0 ? 1.0 : 0):F3} | "
                + $"{group.Average(r => r.Parts.Violations.Values.Sum() > r.Parts.SombreCheerWords ? 1.0 : 0):F3} | {group.Average(r => r.Parts.Total):F3} | {group.Average(r => r.Gold):F3}");
        }
    }

    /// <summary>
    /// What gold misses of the effect term: gold's residual from its line on the reader (fitted over every response of the
    /// pairs) for responses with an effect break, by its kind (a feeling said without its cause, or one an earlier cause
    /// owes never said by the story's end) and feeling, against those without one. A gold blind to a kind scores those
    /// responses above its line by about the line's slope times the break's penalty.
    /// </summary>
    private static void PrintEffects(SweepTask task, StoryTaste reader, SweepComparisons.Pair[] pairs, (TasteBreakdown Parts, string[] Words, double Gold)[] responses)
    {
        var storyReader = new StoryReader(StoryWorld.Create(task.World.Version, task.World.EffectiveSeed));
        // responses holds each pair's chosen then rejected response. A violation names its kind of effect break and its
        // feeling only in its detail ("never 'wet', ..." or "'wet' without its cause"), which the breakdown does not keep.
        var rows = responses.Select((r, k) =>
            {
                var prompt = SweepComparisons.Pair.Words(pairs[k / 2].Prompt);
                var effects = storyReader.Read(prompt.Concat(r.Words).ToArray()).From(prompt.Length).Where(v => v.Kind == ViolationKind.Effect)
                    .Select(v => (v.Detail.StartsWith("never", StringComparison.Ordinal) ? "never said: " : "said without its cause: ") + v.Detail.Split('\'')[1])
                    .ToArray();
                return (Effects: effects, Reader: r.Parts.Total, r.Gold);
            })
            .ToArray();
        var line = ScalingLine.Fit(rows.Select(r => (r.Reader, r.Gold)))!;
        double Residual((string[] Effects, double Reader, double Gold) r) => r.Gold - line.At(r.Reader);
        Say($"effect break | responses | gold's mean residual from its line on the reader (slope {line.Slope:F3}; a blind gold: about {line.Slope * reader.Options.Penalty(ViolationKind.Effect):F2} above 0)");
        // Beside each kind and feeling, the feelings a weather cause owes (told early in the prompt) pooled against the others.
        var weather = WorldTables.Weather.Select(w => w.Effect).ToHashSet(StringComparer.Ordinal);
        string Pool(string kind) => weather.Any(w => kind.EndsWith(": " + w, StringComparison.Ordinal)) ? "any, weather's (cold, wet)" : "any, the others' (sad, full)";
        var groups = rows.SelectMany(r => r.Effects.Length == 0 ? ["none"] : r.Effects.Concat(r.Effects.Select(Pool)).Distinct(), (r, kind) => (Kind: kind, Row: r))
            .GroupBy(g => g.Kind, g => Residual(g.Row))
            .OrderBy(g => g.Key == "none" ? "" : g.Key, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var values = group.ToArray();
            double half = values.Length > 1 ? Statistics.Normal975 * Statistics.StandardDeviation(values) / Math.Sqrt(values.Length) : double.NaN;
            Say($"{group.Key} | {values.Length} | {values.Average():F3} +- {half:F3}");
        }
    }

    private static (double Total, IReadOnlyDictionary<string, double> Terms, float Gold) Side(StoryTaste reader, TasteBreakdown parts, float gold)
        => (parts.Total, StoryTasteRule.TermsOf(reader.Options, parts), gold);

    private static double Agrees(double readerDifference, float a, float b)
        => a == b ? 0.5 : Math.Sign(a - b) == Math.Sign(readerDifference) ? 1 : 0;

    private static string Mean(double[] values) => values.Length == 0 ? "-" : values.Average().ToString("F3");
}
