namespace OverOpt.MLNet.Ppo;

/// <summary>
/// How PPO estimates the gradient of -beta * KL(pi || pi_init) over a response, where the sequence KL is
/// sum_t E[KL_t(s_t)] and KL_t is the exact KL of the next-token distributions at state s_t. Both are unbiased for that
/// gradient; every KL estimate is logged beside them.
/// </summary>
public enum KlPenaltyEstimator
{
    /// <summary>
    /// Exact per-state KL over the vocabulary, in two parts: the direct gradient of sum_t KL_t(s_t) at the sampled
    /// states (a differentiable loss term beside the surrogate), and the pull through the states each token leads
    /// to (the reward of token t is -beta * KL_{t+1}, the exact KL at the state it opens). No sampling noise in KL_t;
    /// the last token is penalized through the loss term. Putting KL_t itself in the reward of token t, as this
    /// trainer once did, gives no gradient at all for the token it penalizes.
    /// </summary>
    Exact,

    /// <summary>
    /// k1 = log pi(a_t) - log pi_init(a_t) of the drawn token as its reward (lm-human-preferences, TRL): one sample,
    /// noisier. It moves a token only when that token is drawn, so mass taken from rare tokens comes back slowly; and
    /// Adam's first steps move every weight by about the learning rate whatever the gradient's noise, so keep the rate
    /// small (the pipelines' 1e-5): a penalty-only test run climbed instead of falling on some seeds at 1e-3 and above.
    /// </summary>
    K1,
}
