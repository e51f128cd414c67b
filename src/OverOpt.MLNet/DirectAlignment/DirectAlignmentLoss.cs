namespace OverOpt.MLNet.DirectAlignment;

/// <summary>
/// The direct alignment losses of Rafailov et al. 2024, each a function of the margin
/// h = [log pi(y_w|x) - log pi_ref(y_w|x)] - [log pi(y_l|x) - log pi_ref(y_l|x)] (chosen y_w, rejected y_l) and beta.
/// </summary>
public enum DirectAlignmentLoss
{
    /// <summary>DPO: -log sigmoid(beta h).</summary>
    Dpo,

    /// <summary>IPO: (h - 1 / (2 beta))^2.</summary>
    Ipo,

    /// <summary>SLiC (hinge): max(0, 1 - beta h).</summary>
    Slic,
}
