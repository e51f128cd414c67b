namespace OverOpt.MLNet.Ppo;

/// <summary>Which per-token KL estimate the penalty -beta * kl_t uses. Every estimate is logged beside it.</summary>
public enum KlPenaltyEstimator
{
    /// <summary>The exact KL(pi(.|s_t) || pi_init(.|s_t)) summed over the vocabulary: never negative, no sampling noise.</summary>
    Exact,

    /// <summary>k1 = log pi(a_t) - log pi_init(a_t), the single-sample estimate most systems use.</summary>
    K1,
}
