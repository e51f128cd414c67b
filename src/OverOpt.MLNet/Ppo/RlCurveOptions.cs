namespace OverOpt.MLNet.Ppo;

/// <summary>Options of <see cref="RlCurveTransformer"/>: the labels of its rows and whether to re-centre on step 0.</summary>
public sealed class RlCurveOptions
{
    /// <summary>
    /// Subtract the step-0 (pi_init) means from proxy and gold, so the curve starts at 0 as the fitted forms assume
    /// (the paper's R(0) = 0). Needs rows of step 0.
    /// </summary>
    public bool RecentreOnStepZero = true;

    /// <summary>The proxy's name, for the rows.</summary>
    public string Proxy = "proxy";

    /// <summary>The optimized policy's name, for the rows.</summary>
    public string Policy = "";

    /// <summary>The proxy's parameter count, for the rows.</summary>
    public long ProxyParams;

    /// <summary>Comparisons the proxy was trained on, for the rows.</summary>
    public int Comparisons;

    /// <summary>The KL coefficient of the run, for the rows.</summary>
    public double KlCoefficient;

    /// <summary>The run's seed, for the rows.</summary>
    public int Seed = 1;
}
