using System.Globalization;
using Microsoft.ML;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Torch;

namespace WorldPilot;

/// <summary>
/// Gold's agreement with the reader term by term, measured on many fresh responses with an interval over prompts: for
/// each finished task of <c>--tasks</c> that trained gold, pi_init answers every held-out prompt of the task's split
/// <c>--samples</c> times (default 64: some 23,000 responses on storyworld, where the trainer's own held-out samples
/// number about 9,000), gold scores them, and <see cref="RuleTermAgreement"/> gives each term's agreement over all pairs
/// with its standard error over prompts, the pronoun's two parts by referent (<see cref="PronounSplitRule"/>), and where
/// the world minds cheer in sombre stories, cheer's two parts (<see cref="CheerSplitRule"/>). Tasks that share a pi_init are read on the very same responses, so their
/// golds differ by their training alone. Prints a table per task and writes <c>gold-terms.csv</c> beside the tasks. With
/// <c>--against &lt;task folder&gt;</c>, each other gold of that task's pi_init is also compared with that task's gold on
/// the same pairs (<see cref="RuleTermAgreement.Compare"/>: the change with its paired interval over prompts), written
/// to <c>gold-terms-changes.csv</c>. With <c>--language-model yes</c>, gold's frozen language model is read the same way, once
/// for each distinct one, through the two scores of <see cref="LanguageModelReadings"/> (rows named after them).
/// </summary>
internal static class PilotGoldTerms
{
    public static void Run(Flags flags)
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.SetThreads(flags.Int("threads", 1));
        string tasks = flags.TasksFolder();
        int samplesPerPrompt = flags.Int("samples", 64);
        int seed = flags.Int("seed", 1);
        var responsesByPiInit = new Dictionary<string, (int[] Prompt, int[] Response)[]>(StringComparer.Ordinal);
        (int[] Prompt, int[] Response)[] Responses(SweepTask task, Policy piInit)
        {
            if (!responsesByPiInit.TryGetValue(task.PiInitFile(), out var samples))
            {
                samples = FreshResponses.Sample(task, piInit, samplesPerPrompt, seed);
                responsesByPiInit[task.PiInitFile()] = samples;
            }
            return samples;
        }
        TransformerRewardModel LoadGold(string goldFile) => (TransformerRewardModel)RewardModel.Load(new MLContext(seed), goldFile);
        float[] GoldScores(RewardModel gold, (int[] Prompt, int[] Response)[] samples)
            => gold.Score(samples.Select(s => s.Prompt).ToArray(), samples.Select(s => s.Response).ToArray());

        var finished = SweepTask.Finished(tasks).ToArray();
        var baseline = flags.String("against", "") is { Length: > 0 } against
            ? finished.SingleOrDefault(t => Path.GetFileName(t.Folder) == against) ?? throw new ArgumentException($"--against {against}: no finished task of {tasks} is named so.")
            : null;
        (string PiInit, float[] Scores)? baselineScores = null;
        if (baseline is not null)
        {
            using var piInit = Policy.Load(baseline.PiInitFile());
            using var baselineGold = LoadGold(baseline.GoldFile() ?? throw new ArgumentException($"--against: {baseline.Folder} trained no gold."));
            baselineScores = (baseline.PiInitFile(), GoldScores(baselineGold, Responses(baseline, piInit)));
        }
        var rows = new List<string> { "task,gold,term,agreement,standardError,pairs,responsesOffMode" };
        var readLanguageModels = new HashSet<string>(StringComparer.Ordinal);
        var changes = new List<string> { "task,against,term,agreement,againstAgreement,change,standardError,pairs" };
        foreach (var task in finished)
        {
            if (task.GoldFile() is not { } goldFile)
            {
                Console.WriteLine($"{task.Folder}: its log names no trained gold; skipped");
                continue;
            }
            using var piInit = Policy.Load(task.PiInitFile());
            var samples = Responses(task, piInit);
            var rule = task.World.Rule(piInit.Tokenizer, task.World.GeneratedCorpus());
            using var gold = LoadGold(goldFile);
            var predicted = GoldScores(gold, samples);
            Console.WriteLine($"\n{Path.GetFileName(task.Folder)}, gold {Path.GetFileName(goldFile)}, {samples.Length} responses");
            Console.WriteLine("term | agreement +- 95% | pivotal pairs | responses off the term's usual value");
            Report(RuleTermAgreement.Measure(rule, samples, predicted), OffMode(rule, samples));
            // Once a frozen language model: golds that differ by their training alone share it.
            if (flags.String("language-model", "no") == "yes" && gold.LanguageModelFingerprint is { } fingerprint && readLanguageModels.Add(fingerprint))
            {
                var (likelihood, excessSurprise) = LanguageModelReadings.Score(gold.Network, samples);
                foreach (var (label, scores) in new[] { (LanguageModelReadings.Likelihood, likelihood), (LanguageModelReadings.ExcessSurprise, excessSurprise) })
                {
                    Console.WriteLine($"{label} (gold's frozen language model, no training on the taste):");
                    Report(RuleTermAgreement.Measure(rule, samples, scores), OffMode(rule, samples), label);
                }
            }
            // Cheer in two where the reader minds sombre stories, the pronoun in two by its referent on every storyworld.
            var splits = new List<(IPreferenceRule Rule, IReadOnlySet<string> Parts)>();
            if (task.SombreReaderIfAny() is { } sombre)
            {
                splits.Add((new CheerSplitRule(sombre, piInit.Tokenizer), CheerSplitRule.Parts));
            }
            if (task.ReaderIfAny() is { } reader)
            {
                splits.Add((new PronounSplitRule(reader, piInit.Tokenizer), PronounSplitRule.Parts));
            }
            foreach (var (split, parts) in splits)
            {
                Report(RuleTermAgreement.Measure(split, samples, predicted, parts), OffMode(split, samples));
            }
            if (baselineScores is { } b && b.PiInit == task.PiInitFile() && task.Folder != baseline!.Folder)
            {
                Console.WriteLine($"against {Path.GetFileName(baseline.Folder)} on the same pairs: term | agreement | against | change +- 95% (paired)");
                ReportChanges(RuleTermAgreement.Compare(rule, samples, predicted, b.Scores));
                foreach (var (split, parts) in splits)
                {
                    ReportChanges(RuleTermAgreement.Compare(split, samples, predicted, b.Scores, parts));
                }
            }

            void Report(IEnumerable<RuleTermAgreement.Term> terms, Dictionary<string, int> offMode, string? reader = null)
            {
                foreach (var term in terms)
                {
                    Console.WriteLine($"{term.Name} | {term.Agreement:F3} +- {1.96 * term.StandardError:F3} | {term.Pairs:N0} | {offMode[term.Name]:N0}");
                    rows.Add(string.Join(',', Path.GetFileName(task.Folder), reader ?? Path.GetFileName(goldFile), term.Name,
                        term.Agreement.ToString("R", CultureInfo.InvariantCulture), term.StandardError.ToString("R", CultureInfo.InvariantCulture),
                        term.Pairs.ToString(CultureInfo.InvariantCulture), offMode[term.Name].ToString(CultureInfo.InvariantCulture)));
                }
            }

            void ReportChanges(IEnumerable<RuleTermAgreement.Difference> terms)
            {
                foreach (var term in terms)
                {
                    Console.WriteLine($"{term.Name} | {term.Agreement:F3} | {term.BaselineAgreement:F3} | {term.Change:+0.000;-0.000} +- {1.96 * term.StandardError:F3}");
                    changes.Add(string.Join(',', Path.GetFileName(task.Folder), Path.GetFileName(baseline!.Folder), term.Name,
                        term.Agreement.ToString("R", CultureInfo.InvariantCulture), term.BaselineAgreement.ToString("R", CultureInfo.InvariantCulture),
                        term.Change.ToString("R", CultureInfo.InvariantCulture), term.StandardError.ToString("R", CultureInfo.InvariantCulture),
                        term.Pairs.ToString(CultureInfo.InvariantCulture)));
                }
            }
        }
        string output = flags.String("out", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tasks))!, "gold-terms.csv"));
        File.WriteAllLines(output, rows);
        Console.WriteLine($"wrote {output}");
        if (baseline is not null)
        {
            string changesFile = Path.Combine(Path.GetDirectoryName(output)!, "gold-terms-changes.csv");
            File.WriteAllLines(changesFile, changes);
            Console.WriteLine($"wrote {changesFile}");
        }
    }

    /// <summary>Per term, how many responses differ from its most common value: for a term that punishes a mistake, the responses that make it, on which its pairs rest.</summary>
    private static Dictionary<string, int> OffMode(IPreferenceRule rule, IReadOnlyList<(int[] Prompt, int[] Response)> samples)
    {
        var terms = samples.Select(s => rule.Terms(s.Prompt, s.Response)).ToArray();
        return terms[0].Keys.ToDictionary(name => name, name =>
        {
            var values = terms.Select(t => t[name]).ToArray();
            return values.Length - values.GroupBy(v => v).Max(g => g.Count());
        });
    }
}
