using System.Globalization;
using Microsoft.ML;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.World;
using static TorchSharp.torch;

namespace WorldPilot;

/// <summary>
/// Whether gold's frozen language model knows the genders its reader's pronoun term asks about: on the world's held-out
/// stories, cut to gold's context, every possessive after "with" (the character met: "she met tobo the owl with his
/// drum", a fact of the world's cast) and every possessive elsewhere (the hero's, which the story has shown by then),
/// the language model's probability of the true possessive against the other, from the same preceding tokens. A model
/// that knows the cast puts the true one first every time; one that does not, about half the time. Each task's gold is
/// read (one language model a world and pipeline seed, so golds that differ by their training alone give one answer);
/// writes <c>gold-pronouns.csv</c> beside the tasks.
/// </summary>
internal static class PilotGoldPronouns
{
    public static void Run(Flags flags)
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.SetThreads(flags.Int("threads", 1));
        string tasks = flags.TasksFolder();
        int storyCount = flags.Int("stories", 3000);
        var rows = new List<string> { "task,gold,referent,cases,firstShare,meanTrueProbability" };
        foreach (var task in SweepTask.Finished(tasks))
        {
            if (task.GoldFile() is not { } goldFile)
            {
                continue;
            }
            using var gold = (TransformerRewardModel)RewardModel.Load(new MLContext(1), goldFile);
            var tokenizer = gold.Tokenizer;
            int context = (int)gold.Network.Shape.Context;
            var possessives = WorldTables.Pronouns.Select(p => tokenizer.Encode(p.Possessive).Single()).Distinct().ToArray();
            int with = tokenizer.Encode("with").Single(), the = tokenizer.Encode("the").Single();
            var stories = task.World.GeneratedCorpus().ValidationStories.Take(storyCount)
                .Select(s => tokenizer.Encode(s).Take(context).ToArray()).Where(s => s.Length == context).ToArray();
            // One case a possessive: the story as told, and with the other possessive in its place.
            var cases = stories.SelectMany(s => Enumerable.Range(1, s.Length - 1).Where(p => possessives.Contains(s[p])).Select(p => (Story: s, Position: p, Met: IsMet(s, p, with, the)))).ToArray();
            var truth = LogProbabilities(gold.Network, cases.Select(c => c.Story).ToArray(), cases.Select(c => c.Position).ToArray());
            var swapped = LogProbabilities(gold.Network, cases.Select(c => Swap(c.Story, c.Position, possessives)).ToArray(), cases.Select(c => c.Position).ToArray());
            Console.WriteLine($"\n{Path.GetFileName(task.Folder)}, gold {Path.GetFileName(goldFile)}: {stories.Length} held-out stories of {context} tokens");
            Console.WriteLine("referent | cases | true possessive first | mean probability of the true one (of the two)");
            foreach (var (name, met) in new[] { ("met", true), ("other", false) })
            {
                var index = Enumerable.Range(0, cases.Length).Where(i => cases[i].Met == met).ToArray();
                double first = index.Count(i => truth[i] > swapped[i]) / (double)index.Length;
                double probability = index.Average(i => 1 / (1 + Math.Exp(swapped[i] - truth[i])));
                Console.WriteLine($"{name} | {index.Length:N0} | {first:F3} | {probability:F3}");
                rows.Add(string.Join(',', Path.GetFileName(task.Folder), Path.GetFileName(goldFile), name, index.Length.ToString(CultureInfo.InvariantCulture),
                    first.ToString("R", CultureInfo.InvariantCulture), probability.ToString("R", CultureInfo.InvariantCulture)));
            }
        }
        string output = flags.String("out", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tasks))!, "gold-pronouns.csv"));
        File.WriteAllLines(output, rows);
        Console.WriteLine($"wrote {output}");
    }

    /// <summary>"met tobo the owl with his drum": the possessive after "with" after a kind after "the" ("played with her kite" is the hero's).</summary>
    private static bool IsMet(int[] story, int position, int with, int the)
        => position >= 3 && story[position - 1] == with && story[position - 3] == the;

    private static int[] Swap(int[] story, int position, int[] possessives)
    {
        var copy = (int[])story.Clone();
        copy[position] = possessives.First(p => p != story[position]);
        return copy;
    }

    /// <summary>The frozen language model's log-probability of each sequence's token at its position, given the tokens before it.</summary>
    private static double[] LogProbabilities(RewardNetwork network, int[][] sequences, int[] positions, int batchSize = 256)
    {
        var result = new double[sequences.Length];
        var device = network.parameters().First().device;
        for (int start = 0; start < sequences.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(batchSize, sequences.Length - start);
            var logProbabilities = network.LanguageTokenLogProbabilities(TokenTensors.Stack(sequences.Skip(start).Take(count).ToArray(), device)).cpu().data<float>().ToArray();
            int predicted = sequences[start].Length - 1;
            for (int i = 0; i < count; i++)
            {
                // Position t of the output predicts token t + 1.
                result[start + i] = logProbabilities[i * predicted + positions[start + i] - 1];
            }
        }
        return result;
    }
}
