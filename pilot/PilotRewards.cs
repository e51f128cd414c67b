using System.Diagnostics;
using Microsoft.ML;
using OverOpt.MLNet;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.Trainers;
using OverOpt.MLNet.World;
using static TorchSharp.torch;

namespace WorldPilot;

/// <summary>
/// The reward-model pilot (paper fig. 6 at one comparison count): pi_init (saved by the train mode) answers held-out
/// prompts twice; the reader's taste labels each pair, 25% of labels flipped; a transformer reward model of each proxy
/// shape, started from that shape's pretrained language model, is trained on the same comparisons with several seeds
/// and scored on held-out comparisons (other prompts). Writes rewards.csv (one row per model) and prints how often
/// pi_init's responses break each term of the taste.
/// </summary>
internal static class PilotRewards
{
    public static void Run(Flags flags)
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.SetThreads(1);
        var options = WorldFlags.Options(flags);
        string models = flags.String("models", "runs/pilot");
        int lmSteps = flags.Int("steps", 600);
        string output = flags.String("out", "runs/rewards");
        int count = flags.Int("comparisons", 4000);
        int validation = flags.Int("validation", 1000);
        int epochs = flags.Int("epochs", 4);
        double noise = flags.Double("noise", 0.25);
        int[] seeds = flags.Ints("seeds", [1, 2, 3]);
        var sampling = new SamplingOptions { ResponseLength = flags.Int("response", 24), Temperature = 1.0, BatchSize = 256 };
        int promptLength = flags.Int("prompt", 16);
        var only = flags.String("shapes", "all");
        var shapes = PilotShapes.All.Where(s => s.Proxy && (only == "all" || only.Split(',').Contains(s.Name))).ToList();
        Directory.CreateDirectory(output);
        string csv = Path.Combine(output, "rewards.csv");
        if (!File.Exists(csv))
        {
            File.WriteAllText(csv, RewardPilotRow.Header + "\n");
        }
        foreach (int worldSeed in flags.Ints("worlds", [1, 2]))
        {
            var world = StoryWorld.Create(worldSeed, options);
            var taste = new StoryTaste(world);
            var corpus = PilotTrain.Corpus(world, worldSeed, flags.Int("stories", 30000)).Corpus;
            using var piInit = Policy.Load(ModelPath(models, worldSeed, PilotShapes.PiInit, lmSteps));
            var prompts = TextCorpus.Prompts(piInit.Tokenizer, corpus.ValidationStories, promptLength);
            // Training and validation comparisons ask different held-out prompts, so validation measures generalization to new stories.
            int cut = prompts.Length * 2 / 3;
            var trainSet = Compare(piInit, taste, prompts[..cut], count, sampling, noise, seed: 100 + worldSeed);
            var validSet = Compare(piInit, taste, prompts[cut..], validation, sampling, noise, seed: 200 + worldSeed);
            Console.WriteLine($"world {worldSeed}: {count} training and {validation} validation comparisons of pi_init ({PilotShapes.PiInit}) samples, label noise {noise}");
            Console.WriteLine("  " + TasteShares.Of(trainSet.Concat(validSet).ToList()));
            var ml = new MLContext(worldSeed);
            var trainData = ml.Data.LoadFromEnumerable(PreferenceData.FromComparisons(trainSet.Select(c => c.Row)));
            var validData = ml.Data.LoadFromEnumerable(PreferenceData.FromComparisons(validSet.Select(c => c.Row)));
            foreach (var (name, shape, _) in shapes)
            {
                using var languageModel = Policy.Load(ModelPath(models, worldSeed, name, lmSteps));
                if (!languageModel.Tokenizer.Vocabulary.SequenceEqual(piInit.Tokenizer.Vocabulary))
                {
                    throw new InvalidOperationException($"{name}'s language model has another vocabulary than pi_init's: pretrain both on the same corpus.");
                }
                foreach (int seed in seeds)
                {
                    var clock = Stopwatch.StartNew();
                    var trainer = ml.RewardModels().Trainers.Transformer(new TransformerRewardTrainer.Options
                    {
                        Name = $"tf-{name}", Tokenizer = piInit.Tokenizer, Shape = languageModel.Shape, Epochs = epochs, Seed = seed,
                        PretrainedInitialization = languageModel, ValidationData = validData,
                    });
                    using var model = trainer.Fit(trainData);
                    double seconds = clock.Elapsed.TotalSeconds;
                    var agreement = TasteAgreement.Of(model, validSet);
                    var row = new RewardPilotRow(worldSeed, name, model.Info.Parameters, seed, count, epochs, seconds,
                        model.Info.ValidationLoss, model.Info.ValidationAccuracy, agreement.Clean, agreement.Cheer, agreement.Violations);
                    File.AppendAllText(csv, row.ToCsv() + "\n");
                    Console.WriteLine($"  {name,-5} seed {seed}: {model.Info.Parameters,7} params, {seconds,6:F1} s, validation loss {row.ValidationLoss:F4} accuracy {row.ValidationAccuracy:F3}; "
                        + $"against the clean taste {agreement.Clean:F3} (cheer-decided {agreement.Cheer:F3}, violation-decided {agreement.Violations:F3})");
                }
            }
        }
    }

    public static string ModelPath(string folder, int worldSeed, string shape, int steps) => Path.Combine(folder, $"world{worldSeed}-{shape}-{steps}.zip");

    /// <summary><paramref name="count"/> comparisons of two pi_init responses each, prompt i modulo their number, labelled by the taste.</summary>
    private static IReadOnlyList<TasteComparisons.Labelled> Compare(Policy policy, StoryTaste taste, int[][] prompts, int count, SamplingOptions sampling, double noise, int seed)
    {
        var chosen = Enumerable.Range(0, count).Select(i => prompts[i % prompts.Length]).ToArray();
        using var generator = new Generator((ulong)seed, policy.Device);
        var samples = PolicySampler.SampleAll(policy.Model, policy.Model, chosen, 2, sampling, generator);
        var parts = samples.Select(s => taste.Explain(policy.Tokenizer, s.Prompt, s.Response)).ToArray();
        var pairs = Enumerable.Range(0, count).Select(i => (chosen[i], samples[2 * i].Response, samples[2 * i + 1].Response)).ToArray();
        return TasteComparisons.Label(pairs, parts, noise, seed);
    }
}
