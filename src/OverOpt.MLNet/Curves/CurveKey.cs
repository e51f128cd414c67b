namespace OverOpt.MLNet.Curves;

/// <summary>
/// What names a curve: how the policy was optimized, which policy, which proxy (its kind, size, training data and
/// seed), the KL coefficient and the seed of the run, or the mean over seeds. Every point and every fit of one curve
/// carries the same key; the library's optimizers set what they know (method, proxy name, coefficient, seed) and an
/// experiment stamps the rest (<see cref="CurvePoint.Key"/>).
/// </summary>
public sealed record CurveKey
{
    /// <summary>Best-of-n or PPO.</summary>
    public OptimizationMethod Method { get; init; }

    /// <summary>The optimized policy's name (pi_init's for best-of-n); empty where none was given.</summary>
    public string Policy { get; init; } = "";

    /// <summary>The proxy that was optimized (for best-of-n: that picked the best of n).</summary>
    public string Proxy { get; init; } = "";

    /// <summary>The proxy's kind (<c>transformer</c>, <c>fasttree</c>); empty where none was given.</summary>
    public string ProxyKind { get; init; } = "";

    /// <summary>The proxy's trainable parameters, a label for parameter-scaling plots (0 where none was given).</summary>
    public long ProxyParams { get; init; }

    /// <summary>Comparisons the proxy was trained on, a label for data-scaling plots (0 where none was given).</summary>
    public int Comparisons { get; init; }

    /// <summary>The seed the proxy was trained with; null where it has none (FastTree) or none was given.</summary>
    public int? ProxySeed { get; init; }

    /// <summary>RL's KL coefficient at the start of the run (0 for best-of-n).</summary>
    public double KlCoefficient { get; init; }

    /// <summary>The run's seed (for best-of-n also the bootstrap's), or the mean over seeds.</summary>
    public CurveSeed Seed { get; init; }
}
