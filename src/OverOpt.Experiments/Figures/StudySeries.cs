namespace OverOpt.Experiments.Figures;

/// <summary>A series of a study figure: points (optionally joined), each with an optional 95% interval.</summary>
public sealed record StudySeries(string Label, double[] X, double[] Y, double[]? Low = null, double[]? High = null, bool Joined = false, float MarkerSize = 9)
{
    /// <summary>A series drawn in the previous series' colour, small and unlabelled (e.g. the per-seed points behind the means).</summary>
    public bool Background { get; init; }
}
