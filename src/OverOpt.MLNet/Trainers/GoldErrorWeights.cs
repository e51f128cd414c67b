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
    public static float[] Of(IReadOnlyList<bool> edited, IReadOnlyList<double> targets)
    {
        if (edited.Count != targets.Count)
        {
            throw new ArgumentException($"{edited.Count} group flags for {targets.Count} targets.", nameof(edited));
        }
        double Inverse(bool group)
        {
            var values = Enumerable.Range(0, targets.Count).Where(i => edited[i] == group).Select(i => targets[i]).ToArray();
            if (values.Length < 2)
            {
                return 1;
            }
            double mean = values.Average();
            double variance = values.Select(v => (v - mean) * (v - mean)).Average();
            return variance > 0 ? 1 / variance : 1;
        }
        var (samples, copies) = (Inverse(false), Inverse(true));
        var raw = edited.Select(e => e ? copies : samples).ToArray();
        double scale = raw.Length == 0 ? 1 : raw.Average();
        return raw.Select(w => (float)(w / scale)).ToArray();
    }
}
