namespace OverOpt.MLNet.BestOfN;

/// <summary>
/// One point of an overoptimization curve: a proxy's and gold's mean score after optimizing the proxy to distance
/// d = sqrt(KL) from pi_init, with 95% bootstrap intervals over prompts. The row type of curve IDataViews and of
/// curves.csv. For best-of-n, <see cref="Kl"/> is the analytic ln n - (n-1)/n and <see cref="KlMeasured"/> the
/// estimate from the samples; for RL both are the exact KL measured on fresh samples and <see cref="N"/> is 1.
/// </summary>
public sealed class CurvePoint
{
    /// <summary>"bon" or "ppo".</summary>
    public string Method { get; set; } = "";

    /// <summary>The optimized policy's name (pi_init's for best-of-n).</summary>
    public string Policy { get; set; } = "";

    /// <summary>RL's KL coefficient beta at the start of the run (0 for best-of-n).</summary>
    public double KlCoefficient { get; set; }

    public string Proxy { get; set; } = "";

    public long ProxyParams { get; set; }

    public int Comparisons { get; set; }

    public int Seed { get; set; }

    /// <summary>True for a row that averages the same point over seeds (written as seed "mean"); its intervals are seed-level.</summary>
    public bool IsSeedMean { get; set; }

    public int N { get; set; }

    /// <summary>Optimizer step (RL); NaN for best-of-n.</summary>
    public double Step { get; set; } = double.NaN;

    public double Kl { get; set; }

    public double KlMeasured { get; set; }

    /// <summary>RL only: the k1 estimate mean(sum_t log pi - log pi_init) on the same samples, for comparison (unbiased, can be negative).</summary>
    public double K1Estimate { get; set; } = double.NaN;

    /// <summary>RL only: the k3 estimate mean(sum_t exp(-r) - 1 + r), r = log pi - log pi_init (never negative).</summary>
    public double K3Estimate { get; set; } = double.NaN;

    /// <summary>sqrt(<see cref="Kl"/>).</summary>
    public double D { get; set; }

    public double ProxyScore { get; set; }

    public double ProxyCiLow { get; set; }

    public double ProxyCiHigh { get; set; }

    public double GoldScore { get; set; }

    public double GoldCiLow { get; set; }

    public double GoldCiHigh { get; set; }

    /// <summary>The world's own truth: <see cref="RewardModels.GoldPreference"/> scored exactly on the same samples, normalized like gold; NaN where no rule was given.</summary>
    public double RuleScore { get; set; } = double.NaN;

    public double RuleCiLow { get; set; } = double.NaN;

    public double RuleCiHigh { get; set; } = double.NaN;

    /// <summary>A copy of this point.</summary>
    public CurvePoint Clone() => (CurvePoint)MemberwiseClone();
}
