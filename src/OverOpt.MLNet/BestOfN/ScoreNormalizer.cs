using OverOpt.MLNet.Curves;
namespace OverOpt.MLNet.BestOfN;

/// <summary>
/// Puts every score column on the scale our pipeline's reward models use: the samples (the base policy's) at mean 0
/// and standard deviation 1. R_bon(d) = d (alpha - beta d) has no intercept, so it assumes gold 0 at n = 1; and an
/// ensemble's mean, minimum and variance compare members only when they share a scale.
/// </summary>
internal static class ScoreNormalizer
{
    /// <summary>Normalizes the prompts' scores in place (each proxy column, then gold) and says how.</summary>
    public static IReadOnlyList<ScoreNormalization> Apply(IReadOnlyList<PromptSamples> prompts, IReadOnlyList<string> proxyColumns, string goldColumn)
    {
        var result = new List<ScoreNormalization>();
        for (int column = 0; column < proxyColumns.Count; column++)
        {
            int k = column;
            var scale = Measure(proxyColumns[k], prompts.Select(p => p.Proxy.Select(s => s[k]).ToArray()).ToList());
            foreach (var sample in prompts.SelectMany(p => p.Proxy))
            {
                sample[k] = Normalize(sample[k], scale);
            }
            result.Add(scale);
        }
        var gold = Measure(goldColumn, prompts.Select(p => p.Gold.ToArray()).ToList());
        foreach (var prompt in prompts)
        {
            for (int i = 0; i < prompt.Gold.Count; i++)
            {
                prompt.Gold[i] = Normalize(prompt.Gold[i], gold);
            }
        }
        result.Add(gold);
        return result;
    }

    private static ScoreNormalization Measure(string column, List<float[]> byPrompt)
    {
        // The mean of prompt means, not of samples: with unequal N per prompt this is what the curve's n = 1 point
        // averages, so that point lands exactly on 0.
        double mean = byPrompt.Average(p => p.Average(v => (double)v));
        double deviation = Statistics.StandardDeviation(byPrompt.SelectMany(p => p.Select(v => (double)v)).ToList());
        return new ScoreNormalization(column, mean, deviation > 0 ? deviation : 1);
    }

    private static float Normalize(float value, ScoreNormalization scale) => (float)((value - scale.Mean) / scale.StandardDeviation);
}
