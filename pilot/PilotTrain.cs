using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using OverOpt.MLNet;
using OverOpt.MLNet.Pretraining;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// Pretrains the pilot's shapes on a world's corpus and scores each on whole held-out stories against the exact
/// probabilities of the same stories: held-out loss, entropy, excess, excess by token role, and the power law of excess
/// in parameters. Writes a CSV of rows and saves each model for later measurements (break rates).
/// </summary>
internal static class PilotTrain
{
    public static void Run(Flags flags)
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.SetThreads(1);
        var options = WorldFlags.Options(flags);
        string output = flags.String("out", "runs/pilot");
        int storyCount = flags.Int("stories", 30000);
        int steps = flags.Int("steps", 600);
        int promptLength = flags.Int("prompt", 16);
        int responseLength = flags.Int("response", 24);
        var only = flags.String("shapes", "all");
        var shapes = PilotShapes.All.Where(s => only == "all" || only.Split(',').Contains(s.Name)).ToList();
        Directory.CreateDirectory(output);
        string csv = Path.Combine(output, "pilot.csv");
        if (!File.Exists(csv))
        {
            File.AppendAllText(csv, "world,stories,steps,shape,parameters,seconds,loss,lossLow,lossHigh,entropy,excess,excessLow,excessHigh,"
                + string.Join(",", Enum.GetNames<TokenRole>().Select(r => "excess" + r)) + "\n");
        }
        foreach (int worldSeed in flags.Ints("worlds", [1, 2, 3]))
        {
            var world = StoryWorld.Create(WorldFlags.Design(flags), worldSeed, options);
            var (stories, corpus) = Corpus(world, worldSeed, storyCount);
            var heldOut = stories.Skip(stories.Count - corpus.ValidationStories.Count).ToList();
            var trueNats = heldOut.Select(s => -s.LogProbability).ToArray();
            var tokens = heldOut.Select(s => s.ScoredTokens).ToArray();
            var heldOutEntropy = EntropyEstimate.FromStories(trueNats, tokens);
            var entropy = CorpusEntropy.Estimate(world, 7_000_000 + worldSeed, 100_000);
            Console.WriteLine($"world {worldSeed} ({options}): {storyCount} stories, {steps} steps");
            Console.WriteLine($"  entropy {entropy}; on the {heldOut.Count} held-out stories {heldOutEntropy.NatsPerToken:F4}");
            Console.WriteLine($"  {"shape",-6} {"params",8} {"seconds",8} {"loss",7} {"excess",7}  excess by role");
            var rows = new List<(string Name, bool Proxy, long Parameters, double Excess, double Loss)>();
            foreach (var (name, shape, proxy) in shapes)
            {
                var pretraining = new PretrainingOptions { Shape = shape, Steps = steps, BatchSize = 32, LearningRate = 2e-3, Seed = 1 };
                var clock = Stopwatch.StartNew();
                using var policy = new MLContext(1).Policies().Pretrain(corpus, pretraining);
                double seconds = clock.Elapsed.TotalSeconds;
                policy.Save(Path.Combine(output, $"world{worldSeed}-{name}-{steps}.zip"));
                var losses = WholeStoryLoss.TokenLosses(policy.Model, policy.Tokenizer, heldOut.Select(s => s.Text).ToArray());
                var loss = EntropyEstimate.FromStories(losses.Select(l => l.Sum(x => (double)x)).ToArray(), tokens);
                var excess = EntropyEstimate.FromStories(losses.Select((l, i) => l.Sum(x => (double)x) - trueNats[i]).ToArray(), tokens);
                var byRole = ExcessByRole(heldOut, losses);
                rows.Add((name, proxy, policy.Description.Parameters, excess.NatsPerToken, loss.NatsPerToken));
                var byRank = ExcessByHeroRank(heldOut, losses);
                string roles = string.Join(" ", byRole.Select(kv => $"{kv.Key}:{kv.Value:F3}")) + " | by hero rank " + string.Join(" ", byRank.Select(kv => $"{kv.Key}:{kv.Value:F3}"));
                Console.WriteLine($"  {name,-6} {policy.Description.Parameters,8} {seconds,8:F1} {loss.NatsPerToken,7:F4} {excess.NatsPerToken,7:F4}  {roles}");
                var breaks = BreakRateReport.Measure(policy, world, heldOut.Select(s => s.Text).ToArray(), promptLength, responseLength, flags.Int("prompts", 1000), seed: 5);
                Console.WriteLine($"         breaks: {breaks}");
                if (world.SombreKinds.Count > 0)
                {
                    // Section 16's sombre reader, whose kinds are this world's, so the shares read as `breaks --sombre` printed them there.
                    var reader = new StoryTaste(world, new StoryTasteOptions { SombreShare = StoryWorld.TemperamentShare });
                    Console.WriteLine($"         {SombreCheerMass.Measure(policy.Model, policy.Tokenizer, world, heldOut, reader.Options.CheerWords)}");
                    Console.WriteLine($"         {SombreCheerShares.Measure(reader, breaks.Texts, promptLength)}");
                }
                foreach (var example in breaks.Examples)
                {
                    Console.WriteLine($"         {example}");
                }
                File.AppendAllText(csv, string.Join(",", new object[]
                {
                    worldSeed, storyCount, steps, name, policy.Description.Parameters, F(seconds), F(loss.NatsPerToken), F(loss.Lower), F(loss.Upper),
                    F(heldOutEntropy.NatsPerToken), F(excess.NatsPerToken), F(excess.Lower), F(excess.Upper),
                }.Concat(Enum.GetValues<TokenRole>().Select(r => (object)F(byRole.GetValueOrDefault(r, double.NaN))))) + "\n");
            }
            Report(rows);
        }
    }

    public static int CorpusSeed(int worldSeed) => WorldCorpora.DefaultCorpusSeed(worldSeed);

    /// <summary>The pilot's corpus of a world: its stories (exact probabilities kept) and the same lines as a training corpus, the last tenth held out.</summary>
    public static (List<GeneratedStory> Stories, TextCorpus Corpus) Corpus(StoryWorld world, int worldSeed, int storyCount)
    {
        var stories = new StoryGenerator(world, CorpusSeed(worldSeed)).Generate(storyCount).ToList();
        return (stories, TextCorpus.FromLines($"{world.Design}:world{worldSeed}:corpus{CorpusSeed(worldSeed)}", stories.Select(s => s.Text)));
    }

    private static void Report(List<(string Name, bool Proxy, long Parameters, double Excess, double Loss)> rows)
    {
        var proxies = rows.Where(r => r.Proxy).ToList();
        if (proxies.Count >= 3)
        {
            var fit = PowerLawFit.Of(proxies.Select(r => (double)r.Parameters).ToArray(), proxies.Select(r => r.Excess).ToArray());
            Console.WriteLine($"  proxies: {fit}; largest/smallest excess {proxies[^1].Excess / proxies[0].Excess:F3}");
        }
        if (rows.Count >= 3)
        {
            var all = PowerLawFit.Of(rows.Select(r => (double)r.Parameters).ToArray(), rows.Select(r => r.Excess).ToArray());
            var ordered = rows.OrderBy(r => r.Parameters).ToList();
            bool falls = ordered.Zip(ordered.Skip(1), (a, b) => b.Loss < a.Loss).All(x => x);
            Console.WriteLine($"  all shapes: {all}; loss falls at every size step: {falls}");
        }
    }

    private static SortedDictionary<TokenRole, double> ExcessByRole(IReadOnlyList<GeneratedStory> stories, float[][] losses)
    {
        var nats = new Dictionary<TokenRole, double>();
        var counts = new Dictionary<TokenRole, int>();
        for (int s = 0; s < stories.Count; s++)
        {
            for (int i = 0; i < losses[s].Length; i++)
            {
                var role = stories[s].Roles[i];
                nats[role] = nats.GetValueOrDefault(role) + losses[s][i] + stories[s].TokenLogProbabilities[i];
                counts[role] = counts.GetValueOrDefault(role) + 1;
            }
        }
        return new SortedDictionary<TokenRole, double>(nats.ToDictionary(kv => kv.Key, kv => kv.Value / counts[kv.Key]));
    }

    /// <summary>Excess nats per token of stories grouped by their hero's rank: how far down the Zipf list a model knows the cast.</summary>
    private static List<KeyValuePair<string, double>> ExcessByHeroRank(IReadOnlyList<GeneratedStory> stories, float[][] losses)
    {
        int[] edges = [10, 40, 160, int.MaxValue];
        var result = new List<KeyValuePair<string, double>>();
        int low = 1;
        foreach (int high in edges)
        {
            var members = Enumerable.Range(0, stories.Count).Where(i => stories[i].Plot.Hero!.Rank + 1 >= low && stories[i].Plot.Hero!.Rank + 1 <= high).ToList();
            if (members.Count > 0)
            {
                double nats = members.Sum(i => losses[i].Sum(x => (double)x) + stories[i].LogProbability);
                result.Add(new($"{low}-{(high == int.MaxValue ? "" : high.ToString())}", nats / members.Sum(i => losses[i].Length)));
            }
            low = high + 1;
        }
        return result;
    }

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
