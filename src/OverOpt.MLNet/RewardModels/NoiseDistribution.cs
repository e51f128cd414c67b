namespace OverOpt.MLNet.RewardModels;

/// <summary>The law of the noise a noisy-gold proxy adds to gold (<see cref="ResponseNoise"/>).</summary>
public enum NoiseDistribution
{
    /// <summary>Gaussian, standard deviation the noise scale: the paper's regressional Goodhart case (sec. 4.2, eq. 1).</summary>
    Normal,

    /// <summary>
    /// Student's t with whole degrees of freedom, times the noise scale: an unbiased error with heavy tails, which an
    /// optimizer can exploit (extremal Goodhart); variance scale^2 * nu / (nu - 2), infinite for nu &lt;= 2.
    /// </summary>
    StudentT,
}
