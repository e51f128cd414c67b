using System.Globalization;
using Microsoft.ML;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Torch;
using TorchSharp;

namespace WorldPilot;

/// <summary>
/// Gold's agreement with the reader term by term, measured on many fresh responses with an interval over prompts: for
/// each finished task of <c>--tasks</c> that trained gold, pi_init answers every held-out prompt of the task's split
/// <c>--samples</c> times (default 64: some 23,000 responses on storyworld, where the trainer's own held-out samples
/// number about 9,000), gold scores them, and <see cref="RuleTermAgreement"/> gives each term's agreement over all pairs
/// with its standard error over prompts, and where the world minds cheer in sombre stories, cheer's two parts
/// (<see cref="CheerSplitRule"/>). Tasks that share a pi_init are read on the very same responses, so their
/// golds differ by their training alone. Prints a table per task and writes <c>gold-terms.csv</c> beside the tasks.
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
        var rows = new List<string> { "task,gold,term,agreement,standardError,pairs,responsesOffMode" };
        foreach (var task in SweepTask.Finished(tasks))
        {
            if (task.GoldFile() is not { } goldFile)
            {
                Console.WriteLine($"{task.Folder}: its log names no trained gold; skipped");
                continue;
            }
            string piInitKey = task.PiInitFile();
            using var piInit = Policy.Load(piInitKey);
            if (!responsesByPiInit.TryGetValue(piInitKey, out var samples))
            {
                var prompts = task.Prompts(piInit).HeldOut;
                Console.WriteLine($"sampling {samplesPerPrompt} responses to each of {prompts.Count} held-out prompts from {Path.GetFileName(piInitKey)} (seed {seed})");
                using var generator = new torch.Generator((ulong)seed, piInit.Device);
                samples = PolicySampler.SampleAll(piInit.Model, piInit.Model, prompts, samplesPerPrompt, task.Pipeline.Sampling.ToBulkOptions(), generator)
                    .Select(s => (s.Prompt, s.Response)).ToArray();
                responsesByPiInit[piInitKey] = samples;
            }
            var rule = task.World.Rule(piInit.Tokenizer, task.World.GeneratedCorpus());
            using var gold = RewardModel.Load(new MLContext(seed), goldFile);
            var predicted = gold.Score(samples.Select(s => s.Prompt).ToArray(), samples.Select(s => s.Response).ToArray());
            Console.WriteLine($"\n{Path.GetFileName(task.Folder)}, gold {Path.GetFileName(goldFile)}, {samples.Length} responses");
            Console.WriteLine("term | agreement +- 95% | pivotal pairs | responses off the term's usual value");
            Report(RuleTermAgreement.Measure(rule, samples, predicted), OffMode(rule, samples));
            if (task.SombreReaderIfAny() is { } reader)
            {
                var split = new CheerSplitRule(reader, piInit.Tokenizer);
                Report(RuleTermAgreement.Measure(split, samples, predicted, CheerSplitRule.Parts), OffMode(split, samples));
            }

            void Report(IEnumerable<RuleTermAgreement.Term> terms, Dictionary<string, int> offMode)
            {
                foreach (var term in terms)
                {
                    Console.WriteLine($"{term.Name} | {term.Agreement:F3} +- {1.96 * term.StandardError:F3} | {term.Pairs:N0} | {offMode[term.Name]:N0}");
                    rows.Add(string.Join(',', Path.GetFileName(task.Folder), Path.GetFileName(goldFile), term.Name,
                        term.Agreement.ToString("R", CultureInfo.InvariantCulture), term.StandardError.ToString("R", CultureInfo.InvariantCulture),
                        term.Pairs.ToString(CultureInfo.InvariantCulture), offMode[term.Name].ToString(CultureInfo.InvariantCulture)));
                }
            }
        }
        string output = flags.String("out", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tasks))!, "gold-terms.csv"));
        File.WriteAllLines(output, rows);
        Console.WriteLine($"wrote {output}");
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
