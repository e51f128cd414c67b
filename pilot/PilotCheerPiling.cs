using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.World;
using static TorchSharp.torch;

namespace WorldPilot;

/// <summary>
/// Whether piling up cheer in pi_init's responses breaks the story's state more often: for the first finished task of
/// each world in <c>--tasks</c>, pi_init (from its policies.csv) answers the world's held-out prompts, as best-of-n's
/// prompts are drawn, <c>--per-prompt</c> times each, and the published reader tabulates the responses by how many cheer
/// words they hold (<see cref="CheerPilingRow"/>). If more cheer comes with more violations, a reward model that sees
/// the cheer but not the violations is led by best-of-n to broken stories, and one that reads the state is not.
/// </summary>
internal static class PilotCheerPiling
{
    public static void Run(Flags flags)
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.SetThreads(flags.Int("threads", 1));
        string tasks = flags.TasksFolder();
        int perPrompt = flags.Int("per-prompt", 32);
        var seen = new HashSet<int>();
        var rows = new List<CheerPilingRow>();
        foreach (var task in SweepTask.Finished(tasks))
        {
            if (seen.Add(task.World.EffectiveSeed))
            {
                rows.AddRange(Tabulate(task, perPrompt, flags.Int("seed", 5)));
            }
        }
        string output = flags.String("out", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tasks))!, "cheer-piling.csv"));
        File.WriteAllLines(output, new[] { CheerPilingRow.Header }.Concat(rows.Select(r => r.ToCsv())));
        Console.WriteLine(CheerPilingRow.Header);
        Console.WriteLine(string.Join("\n", rows.Select(r => r.ToCsv())));
        Console.WriteLine($"wrote {output}");
    }

    private static IEnumerable<CheerPilingRow> Tabulate(SweepTask task, int perPrompt, int seed)
    {
        using var policy = task.LoadPiInit();
        var tokenizer = policy.Tokenizer;
        var prompts = task.Prompts(policy).HeldOut;
        using var generator = new Generator((ulong)seed, policy.Device);
        var samples = PolicySampler.SampleAll(policy.Model, policy.Model, prompts, perPrompt, task.Pipeline.Sampling.ToBulkOptions(), generator);
        int worldSeed = task.World.EffectiveSeed;
        var reader = new StoryTaste(StoryWorld.Create(task.World.Version, worldSeed));
        var byCheer = new SortedDictionary<int, (int Responses, int Broken, double Penalty)>();
        foreach (var sample in samples)
        {
            var prompt = sample.Prompt.Select(tokenizer.TokenText).ToArray();
            var response = sample.Response.Select(tokenizer.TokenText).ToArray();
            var parts = reader.Explain(prompt, response);
            int cheer = response.Count(reader.Options.CheerWords.Contains);
            var (n, broken, penalty) = byCheer.GetValueOrDefault(cheer);
            byCheer[cheer] = (n + 1, broken + (parts.Penalty > 0 ? 1 : 0), penalty + parts.Penalty);
        }
        Console.WriteLine($"world {worldSeed}: {samples.Count} responses to {prompts.Count} held-out prompts");
        return byCheer.Select(kv => new CheerPilingRow(worldSeed, kv.Key, kv.Value.Responses, kv.Value.Responses / (double)samples.Count,
            kv.Value.Broken / (double)kv.Value.Responses, kv.Value.Penalty / kv.Value.Responses));
    }
}
