using Microsoft.ML;
using OverOpt.Experiments.Analysis.Studies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Torch;

namespace WorldPilot;

/// <summary>
/// Whether the proxies a sweep trained read the sombre term (StoryTasteOptions.SombreShare), the mechanism by which a
/// larger proxy should be exploited less: for each finished task of <c>--tasks</c>, its proxies (the cache files its
/// log names) score its comparisons (<c>--split</c> validation or train), and <see cref="SombreReadRow"/> counts how
/// often each orders as the reader does the pairs that sombre cheer decides and those that cheer elsewhere decides.
/// Writes reads-{split}.csv and prints the agreement by size with seed intervals and its slope in log10(parameters),
/// pooled and per world, then how many prompts have a sombre hero (<see cref="BestOfNPromptHeroes"/>). Where the proxies
/// were trained on several comparison counts (a data sweep validated on one set), it also prints the agreement by size
/// and count and how fast it rises with log10(comparisons).
/// </summary>
internal static class PilotSombreReads
{
    public static void Run(Flags flags)
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.SetThreads(flags.Int("threads", 1));
        string tasks = flags.TasksFolder();
        string split = flags.String("split", "validation");
        // --only prompts counts the best-of-n prompts' sombre heroes and scores nothing.
        bool promptsOnly = flags.String("only", "") == "prompts";
        string output = flags.String("out", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tasks))!, "sombre-reads"));
        Directory.CreateDirectory(output);
        var rows = new List<SombreReadRow>();
        var heroes = new SortedDictionary<int, BestOfNPromptHeroes.PromptHeroes>();
        foreach (var task in SweepTask.Finished(tasks))
        {
            int before = rows.Count;
            rows.AddRange(Read(task, split, promptsOnly, heroes));
            Console.WriteLine(string.Join("\n", rows.Skip(before).Select(r => "  " + r)));
        }
        if (promptsOnly)
        {
            PrintHeroes(heroes);
            return;
        }
        string csv = Path.Combine(output, $"reads-{split}.csv");
        File.WriteAllLines(csv, new[] { SombreReadRow.Header }.Concat(rows.Select(r => r.ToCsv())));
        Console.WriteLine($"wrote {csv}");
        Summarize(rows);
        if (rows.Select(r => r.TrainingComparisons).Distinct().Count() > 1)
        {
            SombreReadsByData.Summarize(rows);
        }
        PrintHeroes(heroes);
    }

    private static void PrintHeroes(IDictionary<int, BestOfNPromptHeroes.PromptHeroes> heroes)
    {
        Console.WriteLine("\nprompts with a sombre hero:");
        foreach (var (world, counts) in heroes)
        {
            Console.WriteLine($"  world {world}: {counts}");
        }
    }

    private static IEnumerable<SombreReadRow> Read(SweepTask sweepTask, string split, bool promptsOnly, IDictionary<int, BestOfNPromptHeroes.PromptHeroes> heroes)
    {
        var (task, pipeline, spec) = sweepTask;
        var reader = sweepTask.SombreReader();
        if (!heroes.ContainsKey(spec.EffectiveSeed))
        {
            heroes[spec.EffectiveSeed] = BestOfNPromptHeroes.Count(sweepTask, reader);
        }
        var pairs = SweepComparisons.Read(task, split);
        var truth = pairs.Select(pair => SombrePairTruth.Of(reader, pair)).ToArray();
        // What a proxy that had learnt the blind reader exactly would score on the pivotal pairs (0, or half on its ties),
        // and one that had learnt the reader without its cheer term: it reads no hero, yet is right where the other
        // terms already point the reader's way.
        var pivotalPairs = truth.Where(x => x.Pivotal).ToArray();
        double blindAgreement = pivotalPairs.Length == 0 ? double.NaN : pivotalPairs.Average(x => x.BlindTie ? 0.5 : 0);
        double cheerlessAgreement = pivotalPairs.Length == 0 ? double.NaN : pivotalPairs.Average(x => x.CheerlessAgrees);
        var proxies = promptsOnly ? [] : sweepTask.ProxyFiles().ToArray();
        var ml = new MLContext(1);
        foreach (string path in proxies)
        {
            using var model = RewardModel.Load(ml, path);
            var chosenScores = model.ScoreText(pairs.Select(x => x.Prompt).ToArray(), pairs.Select(x => x.Chosen).ToArray());
            var rejectedScores = model.ScoreText(pairs.Select(x => x.Prompt).ToArray(), pairs.Select(x => x.Rejected).ToArray());
            double Agrees(int i) => truth[i].Agreement(chosenScores[i], rejectedScores[i]);
            var pivotal = Enumerable.Range(0, pairs.Length).Where(i => truth[i].Pivotal).ToArray();
            var welcome = Enumerable.Range(0, pairs.Length).Where(i => truth[i].WelcomePivotal).ToArray();
            var other = Enumerable.Range(0, pairs.Length).Where(i => !truth[i].Pivotal && !truth[i].WelcomePivotal && truth[i].Difference != 0).ToArray();
            yield return new SombreReadRow(spec.EffectiveSeed, pipeline.EffectiveProxySeed, model.Name, model.Info.Parameters, split,
                pivotal.Length, pivotal.Length == 0 ? double.NaN : pivotal.Average(Agrees),
                welcome.Length, welcome.Length == 0 ? double.NaN : welcome.Average(Agrees),
                other.Length, other.Length == 0 ? double.NaN : other.Average(Agrees), blindAgreement, cheerlessAgreement, model.Info.TrainingComparisons);
        }
    }

    private static void Summarize(IReadOnlyList<SombreReadRow> rows)
    {
        var tasks = rows.DistinctBy(r => (r.World, r.ProxySeed)).ToArray();
        var blind = SeedSummary.Of(tasks.Select(r => r.BlindAgreement));
        var cheerless = SeedSummary.Of(tasks.Select(r => r.CheerlessAgreement));
        Console.WriteLine($"\non the pivotal pairs the reader agrees on all, the reader blind to the hero on {blind.Mean:F3} (half its ties), "
            + $"the reader without cheer on {cheerless.Mean:F3} [{cheerless.Low:F3}, {cheerless.High:F3}]");
        Console.WriteLine("proxy | parameters | tasks | pairs (mean): sombre / welcome cheer decides | agreement where sombre cheer decides [95%] | where welcome cheer decides [95%] | elsewhere [95%]");
        static string Interval(SeedSummary s) => $"{s.Mean:F3} [{s.Low:F3}, {s.High:F3}]";
        foreach (var size in rows.GroupBy(r => r.Proxy).OrderBy(g => g.First().Parameters))
        {
            Console.WriteLine($"{size.Key} | {size.First().Parameters:N0} | {size.Count()} | {size.Average(r => r.PivotalPairs):F0} / {size.Average(r => r.WelcomePairs):F0} | "
                + $"{Interval(SeedSummary.Of(size.Select(r => r.SombreAgreement)))} | {Interval(SeedSummary.Of(size.Select(r => r.WelcomeAgreement)))} | "
                + Interval(SeedSummary.Of(size.Select(r => r.OtherAgreement))));
        }
        foreach (var (what, value) in new (string, Func<SombreReadRow, double>)[]
        {
            ("where sombre cheer decides", r => r.SombreAgreement), ("where welcome cheer decides", r => r.WelcomeAgreement),
            ("the mean of the two", r => (r.SombreAgreement + r.WelcomeAgreement) / 2),
        })
        {
            ScalingLine? Slope(IEnumerable<SombreReadRow> of) => ScalingLine.Fit(of.Where(r => double.IsFinite(value(r))).Select(r => (Math.Log10(r.Parameters), value(r))));
            Console.WriteLine($"\nagreement {what}, per decade of parameters: pooled {Slope(rows)?.SlopeInterval("F3")}; "
                + string.Join(", ", rows.GroupBy(r => r.World).OrderBy(g => g.Key).Select(w => $"world {w.Key} {Slope(w)?.SlopeInterval("F3")}")));
        }
    }
}
