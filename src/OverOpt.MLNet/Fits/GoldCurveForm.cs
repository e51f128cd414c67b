namespace OverOpt.MLNet.Fits;

/// <summary>
/// The paper's functional forms of gold score against d = sqrt(KL), both linear in (alpha, beta) and zero at d = 0.
/// </summary>
public enum GoldCurveForm
{
    /// <summary>R_bon(d) = d (alpha - beta d); peak d* = alpha / (2 beta), height alpha^2 / (4 beta).</summary>
    BestOfN,

    /// <summary>R_RL(d) = d (alpha - beta ln d); peak d* = exp(alpha / beta - 1), height beta d*.</summary>
    ReinforcementLearning,
}
