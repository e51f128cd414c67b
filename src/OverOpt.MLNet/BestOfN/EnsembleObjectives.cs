namespace OverOpt.MLNet.BestOfN;

/// <summary>The ensemble objectives of one sample, computed from its members' scores (one score per proxy column).</summary>
public static class EnsembleObjectives
{
    /// <summary>
    /// The value of <paramref name="objective"/> for one sample whose proxy columns scored it <paramref name="members"/>.
    /// The variance of <see cref="BestOfNObjective.UncertaintyWeighted"/> is the population variance (divided by k).
    /// </summary>
    public static double Evaluate(BestOfNObjective objective, ReadOnlySpan<float> members, double uncertaintyPenalty)
    {
        if (members.IsEmpty)
        {
            throw new ArgumentException("an objective needs at least one member score.", nameof(members));
        }
        switch (objective)
        {
            case BestOfNObjective.Single:
                if (members.Length != 1)
                {
                    throw new ArgumentException($"{nameof(BestOfNObjective.Single)} takes one score, not {members.Length}.", nameof(members));
                }
                return members[0];
            case BestOfNObjective.Mean:
                return Mean(members);
            case BestOfNObjective.WorstCase:
                double lowest = double.PositiveInfinity;
                foreach (float score in members)
                {
                    lowest = Math.Min(lowest, score);
                }
                return lowest;
            case BestOfNObjective.UncertaintyWeighted:
                double mean = Mean(members), variance = 0;
                foreach (float score in members)
                {
                    variance += (score - mean) * (score - mean) / members.Length;
                }
                return mean - uncertaintyPenalty * variance;
            default:
                throw new ArgumentOutOfRangeException(nameof(objective), objective, null);
        }
    }

    /// <summary>The label of an objective's curve in curves.csv and the figures.</summary>
    public static string Label(BestOfNObjective objective, double uncertaintyPenalty) => objective switch
    {
        BestOfNObjective.Mean => "ensemble-mean",
        BestOfNObjective.WorstCase => "ensemble-min",
        BestOfNObjective.UncertaintyWeighted => FormattableString.Invariant($"ensemble-uwo-{uncertaintyPenalty:R}"),
        _ => throw new ArgumentOutOfRangeException(nameof(objective), objective, "a single proxy is labelled by its column."),
    };

    private static double Mean(ReadOnlySpan<float> members)
    {
        double sum = 0;
        foreach (float score in members)
        {
            sum += score;
        }
        return sum / members.Length;
    }
}
