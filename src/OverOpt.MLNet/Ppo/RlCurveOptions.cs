using OverOpt.MLNet.Curves;

namespace OverOpt.MLNet.Ppo;

/// <summary>Options of <see cref="RlCurveTransformer"/>: the key of its rows and whether to re-centre on step 0.</summary>
public sealed class RlCurveOptions
{
    /// <summary>
    /// Subtract the step-0 (pi_init) means from proxy and gold, so the curve starts at 0 as the fitted forms assume
    /// (the paper's R(0) = 0). Needs rows of step 0.
    /// </summary>
    public bool RecentreOnStepZero = true;

    /// <summary>The curve the samples make (its method is always PPO): proxy, policy, coefficient and seed as the rows should carry them.</summary>
    public CurveKey Key = new() { Method = OptimizationMethod.Ppo, Proxy = "proxy", Seed = 1 };
}
