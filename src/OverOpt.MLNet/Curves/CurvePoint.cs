namespace OverOpt.MLNet.Curves;

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

    /// <summary>Name of the proxy reward model that was optimized (for best-of-n: that picked the best of n).</summary>
    public string Proxy { get; set; } = "";

    /// <summary>Trainable parameters of that proxy, a label for parameter-scaling plots (0 where none was given).</summary>
    public long ProxyParams { get; set; }

    /// <summary>Comparisons that proxy was trained on, a label for data-scaling plots (0 where none was given).</summary>
    public int Comparisons { get; set; }

    /// <summary>Seed of the run that produced the point (for best-of-n also the bootstrap's); 0 on seed-mean rows.</summary>
    public int Seed { get; set; }

    /// <summary>True for a row that averages the same point over seeds (written as seed "mean"); its intervals are seed-level.</summary>
    public bool IsSeedMean { get; set; }

    /// <summary>Best-of-n's n: the proxy picks the highest-scoring of n samples of pi_init per prompt; 1 for RL.</summary>
    public int N { get; set; }

    /// <summary>Optimizer step (RL); NaN for best-of-n.</summary>
    public double Step { get; set; } = double.NaN;

    /// <summary>KL(pi || pi_init) in nats per response (summed over its tokens): for best-of-n the analytic ln n - (n-1)/n, for RL the exact KL averaged over the evaluation samples.</summary>
    public double Kl { get; set; }

    /// <summary>KL in nats per response measured on the samples themselves: for best-of-n from the empirical distribution of each prompt's N samples, averaged over prompts (below <see cref="Kl"/> where the policy repeats responses); for RL equal to <see cref="Kl"/>.</summary>
    public double KlMeasured { get; set; }

    /// <summary>RL only: the k1 estimate mean(sum_t log pi - log pi_init) on the same samples, for comparison (unbiased, can be negative).</summary>
    public double K1Estimate { get; set; } = double.NaN;

    /// <summary>RL only: the k3 estimate mean(sum_t exp(-r) - 1 + r), r = log pi - log pi_init (never negative).</summary>
    public double K3Estimate { get; set; } = double.NaN;

    /// <summary>sqrt(<see cref="Kl"/>).</summary>
    public double D { get; set; }

    /// <summary>Mean proxy score of the optimized responses, in the proxy's normalized units (pi_init's samples have mean 0 and std 1) and re-centred so that pi_init's own point is 0.</summary>
    public double ProxyScore { get; set; }

    /// <summary>Lower bound of the 95% interval of <see cref="ProxyScore"/>: a bootstrap over prompts for best-of-n, the mean minus 1.96 standard errors over samples for RL, seed-level on seed-mean rows.</summary>
    public double ProxyCiLow { get; set; }

    /// <summary>Upper bound of the 95% interval of <see cref="ProxyScore"/>, computed as <see cref="ProxyCiLow"/> is.</summary>
    public double ProxyCiHigh { get; set; }

    /// <summary>Mean gold score of the same responses, the true reward the curve is about: in gold's normalized units (pi_init's samples have mean 0 and std 1) and re-centred so that pi_init's own point is 0.</summary>
    public double GoldScore { get; set; }

    /// <summary>Lower bound of the 95% interval of <see cref="GoldScore"/>: a bootstrap over prompts for best-of-n, the mean minus 1.96 standard errors over samples for RL, seed-level on seed-mean rows.</summary>
    public double GoldCiLow { get; set; }

    /// <summary>Upper bound of the 95% interval of <see cref="GoldScore"/>, computed as <see cref="GoldCiLow"/> is.</summary>
    public double GoldCiHigh { get; set; }

    /// <summary>The world's own truth: <see cref="RewardModels.GoldPreference"/> scored exactly on the same samples, normalized like gold; NaN where no rule was given.</summary>
    public double RuleScore { get; set; } = double.NaN;

    /// <summary>Lower bound of the 95% interval of <see cref="RuleScore"/>, computed as gold's is; NaN where no rule was given.</summary>
    public double RuleCiLow { get; set; } = double.NaN;

    /// <summary>Upper bound of the 95% interval of <see cref="RuleScore"/>, computed as gold's is; NaN where no rule was given.</summary>
    public double RuleCiHigh { get; set; } = double.NaN;

    /// <summary>A copy of this point.</summary>
    public CurvePoint Clone() => (CurvePoint)MemberwiseClone();
}
