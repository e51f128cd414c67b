namespace OverOpt.Experiments.Settings;

/// <summary>The comparisons proxies learn from: pairs of pi_init responses labelled by gold.</summary>
public sealed class ComparisonSpec
{
    /// <summary>Comparisons in all; <see cref="ValidationFraction"/> of them are held out.</summary>
    public int Count { get; set; } = 10000;

    /// <summary>Share of labels flipped (Coste et al. used 0.25).</summary>
    public double LabelNoise { get; set; } = 0.25;

    public double ValidationFraction { get; set; } = 0.1;
}
