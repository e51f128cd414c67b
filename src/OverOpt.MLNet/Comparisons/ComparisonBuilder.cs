using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Comparisons;

/// <summary>
/// Labels comparisons the way the paper does: two pi_init responses to the same prompt, the one gold scores higher is
/// chosen (hard labels; exact ties broken by a coin), then a share <c>labelNoise</c> of the labels is flipped.
/// </summary>
public static class ComparisonBuilder
{
    /// <summary>
    /// Samples two responses from <paramref name="policy"/> to each of <paramref name="count"/> prompts, labels each pair by
    /// <paramref name="gold"/> and flips a share <paramref name="labelNoise"/> of the labels.
    /// </summary>
    /// <param name="policy">pi_init, which samples both responses.</param>
    /// <param name="gold">Gold: a reward model or the world's rule; its normalized scores decide the labels and stay in the rows.</param>
    /// <param name="prompts">Prompt token ids; comparison i uses prompt i modulo their count.</param>
    /// <param name="count">Comparisons to label.</param>
    /// <param name="labelNoise">Share of labels flipped, in [0, 0.5].</param>
    /// <param name="sampling">Response length, temperature and batch size of the sampling.</param>
    /// <param name="seed">Seeds the sampling, the coin that breaks exact ties and the label flips.</param>
    /// <param name="progress">Receives sampling progress; null for none.</param>
    public static IReadOnlyList<ComparisonRow> Build(
        Policy policy, IRewardScorer gold, IReadOnlyList<int[]> prompts, int count, double labelNoise, SamplingOptions sampling, int seed,
        IProgress<ProgressUpdate>? progress = null)
    {
        if (labelNoise is < 0 or > 0.5)
        {
            throw new Runtime.OverOptConfigurationException($"labelNoise = {labelNoise}; it must lie in [0, 0.5].", "labelNoise", "use 0 for clean labels or e.g. 0.25 (Coste et al.).");
        }
        var chosenPrompts = Enumerable.Range(0, count).Select(i => prompts[i % prompts.Count]).ToArray();
        using var generator = new Generator((ulong)seed, policy.Device);
        var samples = PolicySampler.SampleAll(policy.Model, policy.Model, chosenPrompts, 2, sampling, generator, progress);
        var responses = samples.Select(s => s.Response).ToArray();
        var scores = gold.Score(samples.Select(s => s.Prompt).ToArray(), responses);
        var coin = new Random(seed);
        var rows = new ComparisonRow[count];
        for (int i = 0; i < count; i++)
        {
            int a = 2 * i, b = 2 * i + 1;
            bool firstWins = scores[a] > scores[b] || (scores[a] == scores[b] && coin.Next(2) == 0);
            bool flip = coin.NextDouble() < labelNoise;
            if (flip)
            {
                firstWins = !firstWins;
            }
            var (chosen, rejected) = firstWins ? (a, b) : (b, a);
            rows[i] = new ComparisonRow
            {
                PromptTokens = chosenPrompts[i],
                ChosenTokens = responses[chosen],
                RejectedTokens = responses[rejected],
                ChosenGold = scores[chosen],
                RejectedGold = scores[rejected],
                Flipped = flip,
            };
        }
        return rows;
    }
}
