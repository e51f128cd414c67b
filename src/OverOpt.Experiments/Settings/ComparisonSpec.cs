namespace OverOpt.Experiments.Settings;

/// <summary>The comparisons proxies learn from: pairs of pi_init responses labelled by gold.</summary>
public sealed class ComparisonSpec
{
    /// <summary>Comparisons in all; <see cref="ValidationFraction"/> of them are held out, unless <see cref="ValidationCount"/> is set.</summary>
    public int Count { get; set; } = 10000;

    /// <summary>Share of labels flipped (Coste et al. used 0.25).</summary>
    public double LabelNoise { get; set; } = 0.25;

    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>
    /// Held-out comparisons drawn apart from the <see cref="Count"/> trained on, from a stream of their own: the same pairs
    /// whatever the count, so every count of a data sweep is judged on one validation set, as the paper's fig. 6 is. A
    /// share of a small count leaves a few pairs, and on a few pairs the loss at its fitted temperature lies below chance
    /// even for a proxy that knows nothing. <see cref="ValidationFraction"/> is then unused (a sweep may set this on a base
    /// that sets that). Null: <see cref="ValidationFraction"/> of <see cref="Count"/> is held out.
    /// </summary>
    [Sweeps.Definition.OmittedWhileNull]
    public int? ValidationCount { get; set; }

    /// <summary>
    /// How many of <see cref="Count"/> are held out: none when <see cref="ValidationCount"/> is set. A method, so that it is
    /// no part of the JSON that cache keys and sweep hashes are made of.
    /// </summary>
    public int HeldOutOfCount() => ValidationCount is null ? (int)Math.Round(Count * ValidationFraction) : 0;
}
