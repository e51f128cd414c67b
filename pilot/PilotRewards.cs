using System.Diagnostics;
using Microsoft.ML;
using OverOpt.MLNet;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.Trainers;
using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// The reward-model pilot (paper fig. 6 at one comparison count): on each world's <see cref="PilotComparisons"/>
/// (25% of labels flipped), a transformer reward model of each proxy shape, started from that shape's pretrained
/// language model, is trained with several seeds and scored on the held-out comparisons; <c>--readout</c> picks what its
/// score head reads (<see cref="RewardReadout"/>). Writes rewards.csv (one row
/// per model) and prints how often pi_init's responses break each term of the taste.
/// </summary>
internal static class PilotRewards
{
    public static void Run(Flags flags)
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.SetThreads(1);
        var options = WorldFlags.Options(flags);
        string output = flags.String("out", "runs/rewards");
        int epochs = flags.Int("epochs", 4);
        int[] seeds = flags.Ints("seeds", [1, 2, 3]);
        var readout = Enum.Parse<RewardReadout>(flags.String("readout", nameof(RewardReadout.MeanPool)), ignoreCase: true);
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
            var world = StoryWorld.Create(WorldFlags.Design(flags), worldSeed, options);
            using var data = PilotComparisons.Build(flags, world, new StoryTaste(world));
            var piInit = data.PiInit;
            Console.WriteLine($"world {worldSeed}: {data.Train.Count} training and {data.Validation.Count} validation comparisons of pi_init ({PilotShapes.PiInit}) samples, label noise {flags.Double("noise", 0.25)}");
            Console.WriteLine("  " + TasteShares.Of(data.Train.Concat(data.Validation).ToList()));
            var ml = new MLContext(worldSeed);
            var trainData = ml.Data.LoadFromEnumerable(PreferenceData.FromComparisons(data.Train.Select(c => c.Row)));
            var validData = ml.Data.LoadFromEnumerable(PreferenceData.FromComparisons(data.Validation.Select(c => c.Row)));
            foreach (var (name, shape, _) in shapes)
            {
                using var languageModel = Policy.Load(PilotComparisons.ModelPath(flags, worldSeed, name));
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
                        PretrainedInitialization = languageModel, Readout = readout,
                    });
                    using var model = trainer.Fit(trainData, validData);
                    double seconds = clock.Elapsed.TotalSeconds;
                    var prompts = data.Validation.Select(c => c.Row.PromptTokens).ToArray();
                    var agreement = TasteAgreement.Of(data.Validation,
                        model.RawScore(prompts, data.Validation.Select(c => c.Row.ChosenTokens).ToArray()),
                        model.RawScore(prompts, data.Validation.Select(c => c.Row.RejectedTokens).ToArray()));
                    var row = new RewardPilotRow(worldSeed, name, model.Info.Parameters, seed, data.Train.Count, epochs, seconds,
                        model.Info.ValidationLoss, model.Info.ValidationAccuracy, agreement.Clean, agreement.Cheer, agreement.Violations);
                    File.AppendAllText(csv, row.ToCsv() + "\n");
                    Console.WriteLine($"  {name,-5} seed {seed}: {model.Info.Parameters,7} params, {seconds,6:F1} s, validation loss {row.ValidationLoss:F4} accuracy {row.ValidationAccuracy:F3}; "
                        + $"against the clean taste {agreement}");
                }
            }
        }
    }
}
