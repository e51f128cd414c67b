using System.Text.RegularExpressions;
using Microsoft.ML;
using OverOpt.Experiments.Analysis.Studies;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// Whether the proxies a sweep trained read the sombre term (StoryTasteOptions.SombreShare), the mechanism by which a
/// larger proxy should be exploited less: for each finished task of <c>--tasks</c>, its proxies (the cache files its
/// log names) score its comparisons (<c>--split</c> validation or train), and <see cref="SombreReadRow"/> counts how
/// often each orders as the reader does the pairs in which the term is pivotal (a reader blind to the hero orders them
/// the other way or ties them). Writes reads.csv and prints the agreement by size with seed intervals and its slope
/// in log10(parameters), pooled and per world.
/// </summary>
internal static partial class PilotSombreReads
{
    public static void Run(Flags flags)
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.SetThreads(flags.Int("threads", 1));
        string tasks = flags.String("tasks", "");
        if (!Directory.Exists(tasks))
        {
            throw new ArgumentException($"--tasks '{tasks}' is not a folder: give a sweep's tasks folder, e.g. runs/storyworld-sombre/tasks.");
        }
        string split = flags.String("split", "validation");
        string output = flags.String("out", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tasks))!, "sombre-reads"));
        Directory.CreateDirectory(output);
        var rows = new List<SombreReadRow>();
        var heroes = new SortedDictionary<int, (int Sombre, int Prompts)>();
        foreach (string task in Directory.GetDirectories(tasks).Where(d => File.Exists(Path.Combine(d, "done.json"))).Order(StringComparer.Ordinal))
        {
            int before = rows.Count;
            rows.AddRange(Read(task, split, heroes));
            Console.WriteLine(string.Join("\n", rows.Skip(before).Select(r => "  " + r)));
        }
        string csv = Path.Combine(output, $"reads-{split}.csv");
        File.WriteAllLines(csv, new[] { SombreReadRow.Header }.Concat(rows.Select(r => r.ToCsv())));
        Console.WriteLine($"wrote {csv}");
        Summarize(rows);
        Console.WriteLine("\nbest-of-n prompts with a sombre hero: " + string.Join("; ", heroes.Select(h => $"world {h.Key} {h.Value.Sombre} of {h.Value.Prompts}")));
    }

    private static IEnumerable<SombreReadRow> Read(string task, string split, IDictionary<int, (int Sombre, int Prompts)> heroes)
    {
        var pipeline = PipelineLoader.Load(Path.Combine(task, "pipeline.json"));
        var spec = pipeline.World ?? throw new InvalidDataException($"{task}/pipeline.json has no world.");
        if (spec.SombreShare is not > 0)
        {
            throw new InvalidDataException($"{task}/pipeline.json: world.sombreShare is not set, so no pair is decided by sombre cheer.");
        }
        var world = StoryWorld.Create(spec.EffectiveSeed);
        var options = new StoryTasteOptions { WordTaste = spec.WordTaste ?? 0, SombreShare = spec.SombreShare.Value };
        var reader = new StoryTaste(world, options);
        var blind = new StoryTaste(world, options with { SombreShare = 0 });
        var cheerless = new StoryTaste(world, options with { SombreShare = 0, CheerWords = new HashSet<string>() });
        if (!heroes.ContainsKey(spec.EffectiveSeed))
        {
            heroes[spec.EffectiveSeed] = BestOfNPromptHeroes.Count(task, pipeline, reader);
        }
        var comparisons = CsvDocument.Read(Path.Combine(task, OutputFiles.Comparisons));
        int s = comparisons.IndexOf("split"), p = comparisons.IndexOf("prompt"), c = comparisons.IndexOf("chosen"), r = comparisons.IndexOf("rejected");
        static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var all = comparisons.Rows.Where(row => row[s] == split).Select(row => (Prompt: row[p], Chosen: row[c], Rejected: row[r])).ToArray();
        // A response that sampled <pad> reads back one word short (the tokenizer's text skips it), and where it stood is
        // lost; such pairs (4 of 7,000 in a task) are left out rather than scored on another text than the reader read.
        int length = all.Max(x => Words(x.Chosen).Length);
        var pairs = all.Where(x => Words(x.Chosen).Length == length && Words(x.Rejected).Length == length).ToArray();
        // The reader's preference before label noise, and whether the sombre term is pivotal for it.
        var truth = pairs.Select(pair =>
        {
            var (prompt, chosen, rejected) = (Words(pair.Prompt), Words(pair.Chosen), Words(pair.Rejected));
            double difference = reader.Score(prompt, chosen) - reader.Score(prompt, rejected);
            double blindDifference = blind.Score(prompt, chosen) - blind.Score(prompt, rejected);
            bool pivotal = difference != 0 && difference != blindDifference && Math.Sign(blindDifference) != Math.Sign(difference);
            double cheerlessDifference = cheerless.Score(prompt, chosen) - cheerless.Score(prompt, rejected);
            double cheerlessAgrees = cheerlessDifference == 0 ? 0.5 : Math.Sign(cheerlessDifference) == Math.Sign(difference) ? 1 : 0;
            return (Difference: difference, Pivotal: pivotal, BlindTie: blindDifference == 0, CheerlessAgrees: cheerlessAgrees);
        }).ToArray();
        // What a proxy that had learnt the blind reader exactly would score on the pivotal pairs (0, or half on its ties),
        // and one that had learnt the reader without its cheer term: it reads no hero, yet is right where the other
        // terms already point the reader's way.
        var pivotalPairs = truth.Where(x => x.Pivotal).ToArray();
        double blindAgreement = pivotalPairs.Length == 0 ? double.NaN : pivotalPairs.Average(x => x.BlindTie ? 0.5 : 0);
        double cheerlessAgreement = pivotalPairs.Length == 0 ? double.NaN : pivotalPairs.Average(x => x.CheerlessAgrees);
        var ml = new MLContext(1);
        foreach (string path in ProxyFiles(task))
        {
            using var model = RewardModel.Load(ml, path);
            var chosenScores = model.ScoreText(pairs.Select(x => x.Prompt).ToArray(), pairs.Select(x => x.Chosen).ToArray());
            var rejectedScores = model.ScoreText(pairs.Select(x => x.Prompt).ToArray(), pairs.Select(x => x.Rejected).ToArray());
            double Agrees(int i) => chosenScores[i] == rejectedScores[i] ? 0.5
                : Math.Sign(chosenScores[i] - rejectedScores[i]) == Math.Sign(truth[i].Difference) ? 1 : 0;
            var pivotal = Enumerable.Range(0, pairs.Length).Where(i => truth[i].Pivotal).ToArray();
            var other = Enumerable.Range(0, pairs.Length).Where(i => !truth[i].Pivotal && truth[i].Difference != 0).ToArray();
            yield return new SombreReadRow(spec.EffectiveSeed, pipeline.EffectiveProxySeed, model.Name, model.Info.Parameters, split,
                pivotal.Length, pivotal.Length == 0 ? double.NaN : pivotal.Average(Agrees),
                other.Length, other.Length == 0 ? double.NaN : other.Average(Agrees), blindAgreement, cheerlessAgreement);
        }
    }

    /// <summary>The proxy models a task trained or reused, from the cache paths its log names, in order.</summary>
    private static IEnumerable<string> ProxyFiles(string task)
        => File.ReadLines(Path.Combine(task, "task.log"))
            .Select(line => ProxyPath().Match(line))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Distinct(StringComparer.Ordinal);

    [GeneratedRegex(@"(?:saved|reusing) (\S+/proxies/[0-9a-f]+\.zip)$")]
    private static partial Regex ProxyPath();

    private static void Summarize(IReadOnlyList<SombreReadRow> rows)
    {
        var tasks = rows.DistinctBy(r => (r.World, r.ProxySeed)).ToArray();
        var blind = SeedSummary.Of(tasks.Select(r => r.BlindAgreement));
        var cheerless = SeedSummary.Of(tasks.Select(r => r.CheerlessAgreement));
        Console.WriteLine($"\non the pivotal pairs the reader agrees on all, the reader blind to the hero on {blind.Mean:F3} (half its ties), "
            + $"the reader without cheer on {cheerless.Mean:F3} [{cheerless.Low:F3}, {cheerless.High:F3}]");
        Console.WriteLine("proxy | parameters | tasks | pivotal pairs (mean) | agreement where sombre cheer decides [95%] | elsewhere [95%]");
        foreach (var size in rows.GroupBy(r => r.Proxy).OrderBy(g => g.First().Parameters))
        {
            var sombre = SeedSummary.Of(size.Select(r => r.SombreAgreement));
            var other = SeedSummary.Of(size.Select(r => r.OtherAgreement));
            Console.WriteLine($"{size.Key} | {size.First().Parameters:N0} | {size.Count()} | {size.Average(r => r.PivotalPairs):F0} | "
                + $"{sombre.Mean:F3} [{sombre.Low:F3}, {sombre.High:F3}] | {other.Mean:F3} [{other.Low:F3}, {other.High:F3}]");
        }
        var pooled = ScalingLine.Fit(rows.Where(r => double.IsFinite(r.SombreAgreement)).Select(r => (Math.Log10(r.Parameters), r.SombreAgreement)));
        Console.WriteLine($"\nagreement where sombre cheer decides, per decade of parameters: pooled {pooled?.SlopeInterval("F3")}");
        foreach (var world in rows.GroupBy(r => r.World).OrderBy(g => g.Key))
        {
            Console.WriteLine($"  world {world.Key}: {ScalingLine.Fit(world.Where(r => double.IsFinite(r.SombreAgreement)).Select(r => (Math.Log10(r.Parameters), r.SombreAgreement)))?.SlopeInterval("F3")}");
        }
    }
}
