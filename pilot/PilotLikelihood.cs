using System.Globalization;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// A diagnostic beside the reward pilot: each pretrained language model ranks the same held-out comparisons by its
/// own log-likelihood of each response, with no training on comparisons. Where this agreement with the taste's
/// violation term grows with size, the language models hold what the taste needs, and a flat reward-model result
/// points at what the reward models are taught (data, noise) or how they read their language model, not at the
/// world's capacity demands. Then <see cref="SurpriseProbe"/>s fitted on the training comparisons: a bag of words
/// alone, and a bag of words plus each language model's log-likelihood, scored on the validation comparisons as the
/// reward models are. Writes likelihood.csv and probe.csv.
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
        string probeCsv = Path.Combine(output, "probe.csv");
        if (!File.Exists(probeCsv))
        {
            File.WriteAllText(probeCsv, "world,shape,parameters,validationLoss,validationAccuracy,cleanAccuracy,cheerAccuracy,violationAccuracy\n");
        }
        foreach (int worldSeed in flags.Ints("worlds", [1, 2]))
        {
            var world = StoryWorld.Create(WorldFlags.Design(flags), worldSeed, options);
            using var data = PilotComparisons.Build(flags, world, new StoryTaste(world));
            int vocabulary = data.PiInit.Tokenizer.VocabularySize;
            var prompts = data.Validation.Select(c => c.Row.PromptTokens).ToArray();
            Console.WriteLine($"world {worldSeed}: {data.Validation.Count} validation comparisons ranked by each language model's log p(response | prompt)");
            var bagOfWords = Probe(data, vocabulary, null, null);
            Console.WriteLine($"  bag of words alone, fitted on {data.Train.Count} training comparisons: validation loss {bagOfWords.Loss:F4} accuracy {bagOfWords.Accuracy:F3}; against the clean taste {bagOfWords.Agreement}");
            File.AppendAllText(probeCsv, string.Join(",", worldSeed, "words", 0, F(bagOfWords.Loss), F(bagOfWords.Accuracy), F(bagOfWords.Agreement.Clean), F(bagOfWords.Agreement.Cheer), F(bagOfWords.Agreement.Violations)) + "\n");
            foreach (var (name, _, _) in PilotShapes.All)
            {
                using var languageModel = Policy.Load(PilotComparisons.ModelPath(flags, worldSeed, name));
                var (chosen, rejected) = Likelihoods(languageModel, data.Validation);
                var agreement = TasteAgreement.Of(data.Validation, chosen, rejected);
                long parameters = languageModel.Description.Parameters;
                Console.WriteLine($"  {name,-5} {parameters,7} params: agreement with the clean taste {agreement}");
                File.AppendAllText(csv, string.Join(",", worldSeed, name, parameters, F(agreement.Clean), F(agreement.Cheer), F(agreement.Violations)) + "\n");
                var probe = Probe(data, vocabulary, Likelihoods(languageModel, data.Train), (chosen, rejected));
                Console.WriteLine($"        bag of words + its log-likelihood: validation loss {probe.Loss:F4} accuracy {probe.Accuracy:F3}; against the clean taste {probe.Agreement}");
                File.AppendAllText(probeCsv, string.Join(",", worldSeed, name, parameters, F(probe.Loss), F(probe.Accuracy), F(probe.Agreement.Clean), F(probe.Agreement.Cheer), F(probe.Agreement.Violations)) + "\n");
            }
        }
    }

    private static (double[] Chosen, double[] Rejected) Likelihoods(Policy languageModel, IReadOnlyList<TasteComparisons.Labelled> comparisons)
    {
        var prompts = comparisons.Select(c => c.Row.PromptTokens).ToArray();
        return (ResponseLikelihood.Of(languageModel.Model, prompts, comparisons.Select(c => c.Row.ChosenTokens).ToArray()),
            ResponseLikelihood.Of(languageModel.Model, prompts, comparisons.Select(c => c.Row.RejectedTokens).ToArray()));
    }

    /// <summary>A probe fitted on the training comparisons and scored on the validation ones; null likelihoods: bag of words alone.</summary>
    private static (double Loss, double Accuracy, TasteAgreement Agreement) Probe(
        PilotComparisons data, int vocabulary, (double[] Chosen, double[] Rejected)? train, (double[] Chosen, double[] Rejected)? validation)
    {
        double[] Difference(TasteComparisons.Labelled c, int i, (double[] Chosen, double[] Rejected)? likelihood)
            => SurpriseProbe.Difference(
                SurpriseProbe.Features(c.Row.ChosenTokens, vocabulary, likelihood is { } l ? [l.Chosen[i]] : []),
                SurpriseProbe.Features(c.Row.RejectedTokens, vocabulary, likelihood is { } r ? [r.Rejected[i]] : []));
        var probe = SurpriseProbe.Fit(data.Train.Select((c, i) => Difference(c, i, train)).ToArray());
        var margins = data.Validation.Select((c, i) => probe.Margin(Difference(c, i, validation))).ToArray();
        var metrics = PairwiseMetrics.FromMargins(margins);
        return (metrics.BradleyTerryLoss, metrics.PairwiseAccuracy, TasteAgreement.Of(data.Validation, margins, new double[margins.Length]));
    }

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
