namespace OverOpt.MLNet.BestOfN;

/// <summary>What best-of-n maximizes: one proxy column, or an objective over an ensemble of proxy columns.</summary>
public enum BestOfNObjective
{
    /// <summary>One proxy column's score.</summary>
    Single,

    /// <summary>The mean of the members' scores.</summary>
    Mean,

    /// <summary>The worst case: the lowest of the members' scores (Coste et al. 2024, WCO).</summary>
    WorstCase,

    /// <summary>
    /// Uncertainty-weighted: mean - lambda * variance of the members' scores, population variance (divided by the
    /// number of members); Coste et al. 2024, UWO.
    /// </summary>
    UncertaintyWeighted,
}
