namespace OverOpt.Experiments.Settings;

/// <summary>
/// PPO runs of a pipeline: pi_init optimized against each named proxy, at each KL coefficient, on each seed (the
/// policy-optimization seed; the proxy is the same), gold and the rule measured at every evaluation.
/// </summary>
public sealed class PpoSpec
{
    /// <summary>
    /// Names of proxies (from <c>proxies</c>) to optimize against; null (the default): the smallest and the largest
    /// transformer proxy; <c>[]</c>: no PPO.
    /// </summary>
    public List<string>? Proxies { get; set; }

    /// <summary>Seeds of the optimization; curves are averaged over them with seed-level intervals (at least 3 for a claim).</summary>
    public List<int> Seeds { get; set; } = [1, 2, 3];

    /// <summary>Fixed KL coefficients beta, one run each; 0 is the paper's default.</summary>
    public List<double> KlCoefficients { get; set; } = [0];

    /// <summary>"exact" or "k1" (see KlPenaltyEstimator).</summary>
    public string PenaltyEstimator { get; set; } = "exact";

    public int Steps { get; set; } = 120;

    public int BatchSize { get; set; } = 64;

    public int PpoEpochs { get; set; } = 4;

    public int MiniBatches { get; set; } = 4;

    public double LearningRate { get; set; } = 1e-5;

    /// <summary>Anneal the learning rate by a cosine to a tenth over the run; false (the default) keeps it constant, so KL keeps growing.</summary>
    public bool AnnealLearningRate { get; set; }

    /// <summary>Adaptive KL controller target (nats per response); null keeps beta fixed.</summary>
    public double? AdaptiveKlTarget { get; set; }

    public double ClipRange { get; set; } = 0.2;

    public double ValueCoefficient { get; set; } = 0.1;

    /// <summary>Evaluations after step 0, log-spaced from step 1 to the last step.</summary>
    public int EvaluationPoints { get; set; } = 16;

    public int EvaluationSamples { get; set; } = 256;
}
