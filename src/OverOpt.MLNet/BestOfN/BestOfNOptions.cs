using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.BestOfN;

/// <summary>Options of the best-of-n curve: which n, how many bootstrap resamples, and the proxy's labels for the rows.</summary>
public sealed class BestOfNOptions
{
    /// <summary>The defaults of every best-of-n curve: these options, <c>overopt evaluate bon</c> and the pipelines' <c>bestOfN</c>.</summary>
    public static class Defaults
    {
        /// <summary>Largest n.</summary>
        public const int MaxN = 1000;

        /// <summary>Points per curve.</summary>
        public const int Points = 12;

        /// <summary>Bootstrap resamples of prompts.</summary>
        public const int BootstrapResamples = 1000;

        /// <summary>Seed of the bootstrap.</summary>
        public const int Seed = 1;
    }

    /// <summary>Largest n; every prompt needs at least this many samples.</summary>
    public int MaxN = Defaults.MaxN;

    /// <summary>Points of the curve, spaced evenly in d from n = 1 to <see cref="MaxN"/>.</summary>
    public int Points = Defaults.Points;

    /// <summary>Bootstrap resamples of prompts for the 95% intervals of curves and fits.</summary>
    public int BootstrapResamples = Defaults.BootstrapResamples;

    /// <summary>Seeds the bootstrap resampling of prompts; also written to every row's <see cref="Curves.CurvePoint.Seed"/>.</summary>
    public int Seed = Defaults.Seed;

    /// <summary>
    /// Subtract pi_init's mean (the n = 1 point) from proxy and gold, in the mean curve and in every bootstrap resample,
    /// so that the curve starts at 0 as the fitted forms, which have no intercept, assume (the paper's R(0) = 0).
    /// </summary>
    public bool RecentreOnInitialPolicy = true;

    /// <summary>The proxy's name, written to every row (<see cref="Curves.CurvePoint.Proxy"/>).</summary>
    public string Proxy = "proxy";




    internal void Validate()
    {
        if (MaxN < 1)
        {
            throw new OverOptConfigurationException($"maxN = {MaxN}; it must be at least 1.", "maxN", "use e.g. 1000.");
        }
        if (Points < 2)
        {
            throw new OverOptConfigurationException($"points = {Points}; a curve needs at least 2.", "points", "use e.g. 12.");
        }
        if (BootstrapResamples < 10)
        {
            throw new OverOptConfigurationException($"bootstrapResamples = {BootstrapResamples} is too few for 95% intervals.", "bootstrapResamples", "use 1000.");
        }
    }
}
