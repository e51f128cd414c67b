using System.Globalization;
using Microsoft.ML;
using OverOpt.Experiments.Analysis.Studies;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// Whether gold reads the reader's pronoun term where nothing else differs: each fresh response of pi_init (as
/// <c>gold-terms</c> draws them: <c>--samples</c> a held-out prompt, sampling seed <c>--seed</c>) that holds a pronoun
/// is paired with a copy in which one pronoun, drawn at random, is the other gender's word, kept only where the reader's
/// terms then differ in the pronoun term alone (a break where the original fits, a mend where it did not). On such a
/// minimal pair the reader's order is certain, so gold's agreement there tells whether it reads the pronoun at all,
/// apart from how well it reads the rest; gold's mean change, over the change its line on the reader predicts (gold's
/// least-squares slope on the reader's score over the responses, times the term's change), tells how much of the
/// penalty it reads. Pivotal pairs (<c>gold-terms</c>) turn on both. Mends are also told apart by whether they mend the
/// response's only wrong pronoun or one of several. Writes <c>gold-swaps.csv</c> beside the tasks;
/// <c>--show n</c> prints the first n mends gold orders against the reader, with the reader's reason; with
/// <c>--language-model yes</c>, gold's frozen language model is read the same way through its likelihood (rows named
/// <c>lm-likelihood</c>), once for each distinct one.
/// </summary>
internal static class PilotGoldSwaps
{
    public static void Run(Flags flags)
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.SetThreads(flags.Int("threads", 1));
        string tasks = flags.TasksFolder();
        int samplesPerPrompt = flags.Int("samples", 64);
        int seed = flags.Int("seed", 1);
        var rows = new List<string> { "task,gold,kind,pairs,agreement,standardError,readShare" };
        var readLanguageModels = new HashSet<string>(StringComparer.Ordinal);
        var pairsByPiInit = new Dictionary<string, SwapPair[]>(StringComparer.Ordinal);
        foreach (var task in SweepTask.Finished(tasks))
        {
            if (task.GoldFile() is not { } goldFile)
            {
                continue;
            }
            using var piInit = Policy.Load(task.PiInitFile());
            var rule = task.World.Rule(piInit.Tokenizer, task.World.GeneratedCorpus());
            if (!pairsByPiInit.TryGetValue(task.PiInitFile(), out var pairs))
            {
                var samples = FreshResponses.Sample(task, piInit, samplesPerPrompt, seed);
                var terms = samples.Select(s => rule.Terms(s.Prompt, s.Response)).ToArray();
                pairs = [.. MinimalPairs(rule, task.ReaderIfAny()?.World, piInit.Tokenizer, samples, terms, new Random(seed))];
                pairsByPiInit[task.PiInitFile()] = pairs;
                // How many wrong pronouns a breaking response holds: the reader charges each, so a response that gives the
                // hero the other gender throughout costs several penalties.
                var counts = terms.Select(t => t["pronoun"]).Where(v => v != 0).GroupBy(v => v).OrderByDescending(g => g.Key).ToArray();
                Console.WriteLine($"{counts.Sum(g => g.Count()):N0} of {samples.Length:N0} responses break the pronoun term; by its value: {string.Join(", ", counts.Select(g => $"{g.Key:0.#} x {g.Count()}"))}");
            }
            using var gold = (TransformerRewardModel)RewardModel.Load(new MLContext(seed), goldFile);
            var original = gold.Score(pairs.Select(p => p.Prompt).ToArray(), pairs.Select(p => p.Response).ToArray());
            var swapped = gold.Score(pairs.Select(p => p.Prompt).ToArray(), pairs.Select(p => p.Swapped).ToArray());
            Report(Path.GetFileName(goldFile), original, swapped);
            // With --language-model yes, gold's frozen language model read the same way through its likelihood (once a
            // language model): whether it too takes pi_init's wrong pronouns for right, or gold's training loses what it knows.
            if (flags.String("language-model", "no") == "yes" && gold.LanguageModelFingerprint is { } fingerprint && readLanguageModels.Add(fingerprint))
            {
                var (before, _) = LanguageModelReadings.Score(gold.Network, [.. pairs.Select(p => (p.Prompt, p.Response))]);
                var (after, _) = LanguageModelReadings.Score(gold.Network, [.. pairs.Select(p => (p.Prompt, p.Swapped))]);
                Report(LanguageModelReadings.Likelihood, before, after);
            }

            void Report(string label, float[] original, float[] swapped)
            {
                double slope = ScalingLine.Fit(pairs.Select((p, i) => (p.RuleScore, (double)original[i])))!.Slope;
                Console.WriteLine($"\n{Path.GetFileName(task.Folder)}, {label}: {pairs.Length:N0} minimal pairs (one pronoun swapped); its slope on the reader {slope:F3}");
                Console.WriteLine("kind | pairs | orders them as the reader +- 95% (over prompts) | share of the penalty read");
                // Mends apart by what they leave: none of the response's wrong pronouns, or some (the others stay wrong).
                foreach (var (kind, keep) in new (string, Func<int, bool>)[]
                {
                    ("break", i => pairs[i].RuleChange < 0),
                    ("mend", i => pairs[i].RuleChange > 0),
                    ("mend of the only break", i => pairs[i].RuleChange > 0 && pairs[i].PronounTerm + pairs[i].RuleChange == 0),
                    ("mend of one of several", i => pairs[i].RuleChange > 0 && pairs[i].PronounTerm + pairs[i].RuleChange < 0),
                    ("mend where a character named before fits the wrong word", i => pairs[i].RuleChange > 0 && pairs[i].OtherFits),
                    ("mend where none does", i => pairs[i].RuleChange > 0 && !pairs[i].OtherFits),
                })
                {
                    var index = Enumerable.Range(0, pairs.Length).Where(keep).ToArray();
                    if (index.Length == 0)
                    {
                        continue;
                    }
                    var agree = index.Select(i => swapped[i] == original[i] ? 0.5 : (swapped[i] - original[i] > 0) == (pairs[i].RuleChange > 0) ? 1.0 : 0.0).ToArray();
                    double agreement = agree.Average();
                    double error = ClusteredStandardError(agree, index.Select(i => string.Join(' ', pairs[i].Prompt)).ToArray());
                    double read = index.Average(i => (swapped[i] - original[i]) / (slope * pairs[i].RuleChange));
                    Console.WriteLine($"{kind} | {index.Length:N0} | {agreement:F3} +- {1.96 * error:F3} | {read:F3}");
                    rows.Add(string.Join(',', Path.GetFileName(task.Folder), label, kind, index.Length.ToString(CultureInfo.InvariantCulture),
                        agreement.ToString("R", CultureInfo.InvariantCulture), error.ToString("R", CultureInfo.InvariantCulture), read.ToString("R", CultureInfo.InvariantCulture)));
                }
                // With --show n: the first n mends gold orders against the reader, with the reader's reason, to read by eye.
                if (label == Path.GetFileName(goldFile) && task.ReaderIfAny() is { } reader)
                {
                    var storyReader = new StoryReader(reader.World);
                    foreach (int i in Enumerable.Range(0, pairs.Length).Where(i => pairs[i].RuleChange > 0 && swapped[i] < original[i]).Take(flags.Int("show", 0)))
                    {
                        var reasons = storyReader.Read(piInit.Tokenizer, pairs[i].Prompt.Concat(pairs[i].Response)).From(pairs[i].Prompt.Length)
                            .Where(v => v.Kind == ViolationKind.Pronoun).Select(v => v.Detail);
                        Console.WriteLine($"  prompt: {piInit.Tokenizer.Decode(pairs[i].Prompt)}\n  response: {piInit.Tokenizer.Decode(pairs[i].Response)}\n  mended: {piInit.Tokenizer.Decode(pairs[i].Swapped)}\n  reader: {string.Join("; ", reasons)}; gold {original[i]:F3} -> {swapped[i]:F3}");
                    }
                }
            }
        }
        string output = flags.String("out", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tasks))!, "gold-swaps.csv"));
        File.WriteAllLines(output, rows);
        Console.WriteLine($"wrote {output}");
    }

    /// <summary>Per response that holds a pronoun, one copy with a pronoun of the other gender where the reader's terms differ in the pronoun alone.</summary>
    private static IEnumerable<SwapPair> MinimalPairs(IPreferenceRule rule, StoryWorld? world, OverOpt.MLNet.Text.WordTokenizer tokenizer,
        IReadOnlyList<(int[] Prompt, int[] Response)> samples, IReadOnlyList<IReadOnlyDictionary<string, double>> sampleTerms, Random random)
    {
        var forms = WorldTables.Pronouns.Select(p => new[] { p.Subject, p.Object, p.Possessive }.Select(w => tokenizer.Encode(w).Single()).ToArray()).ToArray();
        var pronouns = forms.SelectMany(f => f).ToHashSet();
        for (int s = 0; s < samples.Count; s++)
        {
            var (prompt, response, terms) = (samples[s].Prompt, samples[s].Response, sampleTerms[s]);
            var positions = Enumerable.Range(0, response.Length).Where(i => pronouns.Contains(response[i])).OrderBy(_ => random.Next()).ToArray();
            if (positions.Length == 0)
            {
                continue;
            }
            foreach (int position in positions)
            {
                // The other gender's words, each tried ("her" stands for both "him" and "his"); the first that moves the pronoun term alone is kept.
                var others = forms.Where(f => !f.Contains(response[position])).SelectMany(f => f).Distinct().ToArray();
                var kept = others.Select(word =>
                {
                    var swapped = (int[])response.Clone();
                    swapped[position] = word;
                    return (Swapped: swapped, Terms: rule.Terms(prompt, swapped));
                }).FirstOrDefault(c => c.Terms.All(t => t.Key == "pronoun" ? t.Value != terms[t.Key] : t.Value == terms[t.Key]));
                if (kept.Swapped is not null)
                {
                    // Whether a character named before the word (the prompt's hero, one visited or met) has the gender it says:
                    // a reader resolving it to the nearest such character would find nothing wrong.
                    int gender = forms.Select((f, g) => (f, g)).First(x => x.f.Contains(response[position])).g;
                    bool otherFits = world is not null && prompt.Concat(response.Take(position)).Select(id => world.Find(tokenizer.TokenText(id)))
                        .Any(c => c is not null && c.Gender == gender);
                    yield return new SwapPair(prompt, response, kept.Swapped, kept.Terms["pronoun"] - terms["pronoun"], terms.Values.Sum(), terms["pronoun"], otherFits);
                    break;
                }
            }
        }
    }

    /// <summary>
    /// A response and its copy with one pronoun swapped: the reader's change (the pronoun term's), its score and pronoun
    /// term before, and whether a character named before the word has the gender the original word says.
    /// </summary>
    private sealed record SwapPair(int[] Prompt, int[] Response, int[] Swapped, double RuleChange, double RuleScore, double PronounTerm, bool OtherFits);

    /// <summary>The standard error of a mean of 0/1 outcomes, clustered by prompt (the responses to one prompt share its story).</summary>
    private static double ClusteredStandardError(double[] outcomes, string[] clusters)
    {
        double mean = outcomes.Average();
        var sums = outcomes.Select((o, i) => (Cluster: clusters[i], Deviation: o - mean)).GroupBy(c => c.Cluster).Select(g => g.Sum(c => c.Deviation)).ToArray();
        int count = sums.Length;
        return count < 2 ? double.NaN : Math.Sqrt(count / (count - 1.0) * sums.Sum(s => s * s)) / outcomes.Length;
    }
}
