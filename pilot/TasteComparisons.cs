using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// Comparisons of pairs of pi_init responses labelled by the reader's taste itself (the pilot has no gold network yet):
/// the higher-scoring response is chosen, exact ties by a coin, then a share of labels is flipped, with the same coin
/// sequence as the library's <see cref="ComparisonBuilder"/> (which needs a gold <c>RewardModel</c>, not a rule). The
/// taste's parts stay with each response so that agreement can be measured per term.
/// </summary>
internal static class TasteComparisons
{
    /// <summary>One labelled comparison and the taste's parts of its chosen and rejected responses.</summary>
    public sealed record Labelled(ComparisonRow Row, TasteBreakdown Chosen, TasteBreakdown Rejected);

    /// <param name="pairs">Prompt and the two responses of each comparison.</param>
    /// <param name="parts">The taste's parts of each response, two per comparison in order.</param>
    /// <param name="labelNoise">Share of labels flipped.</param>
    /// <param name="seed">Seeds the tie coin and the flips.</param>
    public static IReadOnlyList<Labelled> Label(IReadOnlyList<(int[] Prompt, int[] First, int[] Second)> pairs, IReadOnlyList<TasteBreakdown> parts, double labelNoise, int seed)
    {
        var coin = new Random(seed);
        var rows = new Labelled[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
        {
            var (a, b) = (parts[2 * i], parts[2 * i + 1]);
            bool firstWins = a.Total > b.Total || (a.Total == b.Total && coin.Next(2) == 0);
            bool flip = coin.NextDouble() < labelNoise;
            if (flip)
            {
                firstWins = !firstWins;
            }
            var (prompt, first, second) = pairs[i];
            var (chosen, rejected, chosenParts, rejectedParts) = firstWins ? (first, second, a, b) : (second, first, b, a);
            rows[i] = new Labelled(
                new ComparisonRow
                {
                    PromptTokens = prompt, ChosenTokens = chosen, RejectedTokens = rejected,
                    ChosenGold = (float)chosenParts.Total, RejectedGold = (float)rejectedParts.Total, Flipped = flip,
                },
                chosenParts, rejectedParts);
        }
        return rows;
    }
}
