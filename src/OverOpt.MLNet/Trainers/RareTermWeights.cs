namespace OverOpt.MLNet.Trainers;

/// <summary>
/// Multipliers of gold's regression error that count the samples of pi_init breaking a rare term of the rule as if a
/// set share of the samples broke it (<see cref="GoldRewardTrainer.Options.RareTermShare"/>). A term that one sample in a
/// hundred breaks owns about a hundredth of the error, so the regression can misread it at little cost, though every
/// pair in which that term decides the order turns on it; the balanced error (<see cref="GoldErrorWeights"/>) counts
/// groups of rows against their spread, this counts a term's breaks against their number.
/// </summary>
public static class RareTermWeights
{
    /// <summary>
    /// <paramref name="weights"/> (null: every row 1) with each sample of pi_init that departs from a rare term's most
    /// common value multiplied by that term's factor (the largest over the rare terms it breaks); edited copies keep
    /// theirs; scaled so the weights average 1, as the balanced error's do. A term is rare where fewer than
    /// <paramref name="share"/> of pi_init's samples depart from it (and at least one does); its factor is the share
    /// over the term's share.
    /// </summary>
    /// <param name="weights">The weights before (the balanced error's), or null.</param>
    /// <param name="edited">Whether each row is an edited copy; only pi_init's samples set the shares and are weighted.</param>
    /// <param name="terms">The rule's terms on each row (<see cref="RewardModels.IPreferenceRule.Terms"/>).</param>
    /// <param name="share">The share below which a term counts as rare, in (0, 1).</param>
    /// <returns>The weights, and each rare term's factor (none where no term is rare).</returns>
    public static (float[] Weights, IReadOnlyDictionary<string, double> Factors) Apply(float[]? weights, IReadOnlyList<bool> edited,
        IReadOnlyList<IReadOnlyDictionary<string, double>> terms, double share)
    {
        if (weights is not null && weights.Length != terms.Count)
        {
            throw new ArgumentException($"{weights.Length} weights for {terms.Count} rows of terms.", nameof(weights));
        }
        var breaks = Breaks(edited, terms, share);
        var factor = new double[terms.Count];
        Array.Fill(factor, 1.0);
        foreach (var (_, rare, rows) in breaks)
        {
            foreach (int i in rows)
            {
                factor[i] = Math.Max(factor[i], rare);
            }
        }
        var raw = Enumerable.Range(0, terms.Count).Select(i => (weights?[i] ?? 1.0) * factor[i]).ToArray();
        double scale = raw.Length == 0 ? 1 : raw.Average();
        return (raw.Select(w => (float)(w / scale)).ToArray(), breaks.ToDictionary(b => b.Term, b => b.Factor));
    }

    /// <summary>Each rare term with its factor and the samples that break it.</summary>
    private static List<(string Term, double Factor, int[] Rows)> Breaks(IReadOnlyList<bool> edited, IReadOnlyList<IReadOnlyDictionary<string, double>> terms, double share)
    {
        if (edited.Count != terms.Count)
        {
            throw new ArgumentException($"{edited.Count} edited flags for {terms.Count} rows of terms.", nameof(terms));
        }
        if (!(share is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "The share must lie in (0, 1).");
        }
        var samples = Enumerable.Range(0, terms.Count).Where(i => !edited[i]).ToArray();
        var list = new List<(string, double, int[])>();
        foreach (var name in samples.Length == 0 ? [] : terms[samples[0]].Keys)
        {
            // Ties go to the smaller value, so that the most common value does not depend on the rows' order.
            double mode = samples.GroupBy(i => terms[i][name]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
            var breaking = samples.Where(i => terms[i][name] != mode).ToArray();
            double observed = (double)breaking.Length / samples.Length;
            if (breaking.Length > 0 && observed < share)
            {
                list.Add((name, share / observed, breaking));
            }
        }
        return list;
    }
}
