using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// How the reader decides one pair before label noise, and whether sombre cheer is pivotal for it (a reader blind to the
/// hero would order it otherwise) or cheer outside sombre stories is (a reader that dislikes cheer everywhere would).
/// The kinds of pairs <c>reads</c> and <c>surprise</c> measure agreement on.
/// </summary>
internal sealed record SombrePairTruth(double Difference, bool Pivotal, bool BlindTie, double CheerlessAgrees, bool WelcomePivotal)
{
    public static SombrePairTruth Of(StoryTaste reader, SweepComparisons.Pair pair)
    {
        var prompt = SweepComparisons.Pair.Words(pair.Prompt);
        var (chosen, rejected) = (Readings.Of(reader, prompt, SweepComparisons.Pair.Words(pair.Chosen)), Readings.Of(reader, prompt, SweepComparisons.Pair.Words(pair.Rejected)));
        double difference = chosen.Reader - rejected.Reader;
        double blindDifference = chosen.Blind - rejected.Blind;
        bool pivotal = difference != 0 && difference != blindDifference && Math.Sign(blindDifference) != Math.Sign(difference);
        double cheerlessDifference = chosen.Cheerless - rejected.Cheerless;
        double cheerlessAgrees = cheerlessDifference == 0 ? 0.5 : Math.Sign(cheerlessDifference) == Math.Sign(difference) ? 1 : 0;
        // The mirror: pairs that cheer outside sombre stories decides. A proxy that dislikes cheer everywhere gets the
        // sombre-pivotal pairs right without reading any hero, and these wrong; one that reads the hero gets both.
        double welcomeDifference = chosen.Welcome - rejected.Welcome;
        bool welcomePivotal = difference != 0 && welcomeDifference != 0 && Math.Sign(difference - welcomeDifference) != Math.Sign(difference);
        return new SombrePairTruth(difference, pivotal, blindDifference == 0, cheerlessAgrees, welcomePivotal);
    }

    /// <summary>Whether scores of the chosen and rejected response order the pair as the reader does (a tie counting half).</summary>
    public double Agreement(double chosenScore, double rejectedScore)
        => chosenScore == rejectedScore ? 0.5 : Math.Sign(chosenScore - rejectedScore) == Math.Sign(Difference) ? 1 : 0;

    /// <summary>
    /// One response read once (the reading is the costly part), scored four ways: by the reader; by a reader blind to the
    /// hero (every cheer word welcome) and by one without cheer, each summed as <see cref="TasteBreakdown.Total"/> is; and
    /// what cheer outside sombre stories adds to the reader's score.
    /// </summary>
    private sealed record Readings(double Reader, double Blind, double Cheerless, double Welcome)
    {
        public static Readings Of(StoryTaste reader, string[] prompt, string[] response)
        {
            var parts = reader.Explain(prompt, response);
            if (reader.SombreKinds.Count == 0)
            {
                // storyworld-2: sombre cheer costs as a contradiction, one a cheer word (each sits in a sentence of its own).
                int welcome = response.Count(reader.Options.CheerWords.Contains) - parts.SombreCheerWords;
                double undone = reader.Options.Penalty(ViolationKind.Contradiction) * parts.SombreCheerWords;
                return new Readings(parts.Total, parts.Total + undone, parts.Total - parts.Cheer, reader.CheerWorth(welcome));
            }
            return new Readings(parts.Total, reader.Cheer(response) + parts.Words - parts.Penalty, 0.0 + parts.Words - parts.Penalty,
                parts.Cheer + reader.Options.SombreCheerCost * parts.SombreCheerWords);
        }
    }
}
