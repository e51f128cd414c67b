using OverOpt.MLNet.BestOfN;

namespace OverOpt.Experiments.Settings;

/// <summary>The best-of-n evaluation: held-out prompts, N samples each, the n range and the bootstrap.</summary>
public sealed class BestOfNSpec
{
    /// <summary>Held-out prompts (0 skips best-of-n).</summary>
    public int Prompts { get; set; } = 64;

    /// <summary>N: samples drawn from pi_init per prompt.</summary>
    public int SamplesPerPrompt { get; set; } = 1000;

    /// <summary>Largest n of the curve; at most <see cref="SamplesPerPrompt"/>.</summary>
    public int MaxN { get; set; } = BestOfNOptions.Defaults.MaxN;

    /// <summary>Curve points, evenly spaced in d.</summary>
    public int Points { get; set; } = BestOfNOptions.Defaults.Points;

    public int BootstrapResamples { get; set; } = BestOfNOptions.Defaults.BootstrapResamples;
}
