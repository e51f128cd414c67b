namespace OverOpt.MLNet.Curves;

/// <summary>How a curve's policy was optimized against its proxy.</summary>
public enum OptimizationMethod
{
    /// <summary>Best-of-n sampling from pi_init: x is n, KL the analytic ln n - (n-1)/n.</summary>
    BestOfN,

    /// <summary>PPO with a KL penalty: x is the optimizer step, KL measured on fresh samples.</summary>
    Ppo,

    /// <summary>
    /// Direct alignment (DPO, IPO, SLiC) on the preference rows, no reward model: x is the optimizer step, KL measured on
    /// fresh samples; the curve's proxy is the loss and its KL coefficient beta.
    /// </summary>
    DirectAlignment,
}
