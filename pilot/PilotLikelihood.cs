using System.Globalization;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// A diagnostic beside the reward pilot: each pretrained language model ranks the same held-out comparisons by its
/// own log-likelihood of each response, with no training on comparisons. Where this agreement with the taste's
/// violation term grows with size, the language models hold what the taste needs, and a flat reward-model result
/// points at what the reward models are taught (data, noise), not at the world's capacity demands.
/// Writes likelihood.csv.
/// </summary>
internal static class PilotLikelihood
{
    public static void Run(Flags flags)
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.SetThreads(1);
        var options = WorldFlags.Options(flags);
        string output = flags.String("out", "runs/rewards");
        Directory.CreateDirectory(output);
        string csv = Path.Combine(output, "likelihood.csv");
        if (!File.Exists(csv))
        {
            File.WriteAllText(csv, "world,shape,parameters,cleanAccuracy,cheerAccuracy,violationAccuracy\n");
        }
        foreach (int worldSeed in flags.Ints("worlds", [1, 2]))
        {
            var world = StoryWorld.Create(worldSeed, options);
            using var data = PilotComparisons.Build(flags, world, new StoryTaste(world));
            var prompts = data.Validation.Select(c => c.Row.PromptTokens).ToArray();
            Console.WriteLine($"world {worldSeed}: {data.Validation.Count} validation comparisons ranked by each language model's log p(response | prompt)");
            foreach (var (name, _, _) in PilotShapes.All)
            {
                using var languageModel = Policy.Load(PilotComparisons.ModelPath(flags, worldSeed, name));
                var agreement = TasteAgreement.Of(data.Validation,
                    ResponseLikelihood.Of(languageModel.Model, prompts, data.Validation.Select(c => c.Row.ChosenTokens).ToArray()),
                    ResponseLikelihood.Of(languageModel.Model, prompts, data.Validation.Select(c => c.Row.RejectedTokens).ToArray()));
                long parameters = languageModel.Description.Parameters;
                Console.WriteLine($"  {name,-5} {parameters,7} params: agreement with the clean taste {agreement}");
                File.AppendAllText(csv, string.Join(",", worldSeed, name, parameters, F(agreement.Clean), F(agreement.Cheer), F(agreement.Violations)) + "\n");
            }
        }
    }

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
