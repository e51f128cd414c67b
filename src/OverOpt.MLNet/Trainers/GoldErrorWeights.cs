namespace OverOpt.MLNet.Trainers;

/// <summary>
/// Per-row weights of gold's regression error that count each group of rows (pi_init's samples, edited copies)
/// relative to its own spread (<see cref="GoldRewardTrainer.Options.BalancedError"/>). Edited copies spread the rule's
/// scores far wider than pi_init's samples do, so in a plain mean squared error pi_init's fine differences, the ones
/// judging its samples turns on, are a few hundredths of the error; weighted so, each group's error counts as a share of
/// its own variance, and the groups share the loss by their rows.
/// </summary>
public static class GoldErrorWeights
{
    /// <summary>
    /// The weight of each row: the inverse of its group's target variance, scaled so the weights average 1. A group whose
    /// targets do not vary (or that has a single row) is not rescaled.
    /// </summary>
    /// <param name="edited">Whether each row is an edited copy.</param>
    /// <param name="targets">The rule's (standardized) score of each row.</param>
    public static float[] Of(IReadOnlyList<bool> edited, IReadOnlyList<double> targets) => Of(edited.Select(e => e ? 1 : 0).ToArray(), targets);

    /// <summary>
    /// The same for any number of groups (e.g. pi_init's samples, edited copies, and exchanges counted apart from the
    /// copies whose wide spread would otherwise set their weight).
    /// </summary>
    /// <param name="groups">Each row's group.</param>
    /// <param name="targets">The rule's (standardized) score of each row.</param>
    public static float[] Of(IReadOnlyList<int> groups, IReadOnlyList<double> targets)
    {
        if (groups.Count != targets.Count)
        {
            throw new ArgumentException($"{groups.Count} group numbers for {targets.Count} targets.", nameof(groups));
        }
        double Inverse(int group)
        {
            var values = Enumerable.Range(0, targets.Count).Where(i => groups[i] == group).Select(i => targets[i]).ToArray();
            if (values.Length < 2)
            {
                return 1;
            }
            double mean = values.Average();
            double variance = values.Select(v => (v - mean) * (v - mean)).Average();
            return variance > 0 ? 1 / variance : 1;
        }
        var inverse = groups.Distinct().ToDictionary(g => g, Inverse);
        var raw = groups.Select(g => inverse[g]).ToArray();
        double scale = raw.Length == 0 ? 1 : raw.Average();
        return raw.Select(w => (float)(w / scale)).ToArray();
    }
}
