using OverOpt.MLNet.Ppo;
using OverOpt.MLNet.Runtime;

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

    public int Steps { get; set; } = PpoTrainer.Defaults.Steps;

    public int BatchSize { get; set; } = PpoTrainer.Defaults.BatchSize;

    public int PpoEpochs { get; set; } = PpoTrainer.Defaults.PpoEpochs;

    public int MiniBatches { get; set; } = PpoTrainer.Defaults.MiniBatches;

    public double LearningRate { get; set; } = PpoTrainer.Defaults.LearningRate;

    /// <summary>Anneal the learning rate by a cosine to a tenth over the run; false (the default) keeps it constant, so KL keeps growing.</summary>
    public bool AnnealLearningRate { get; set; }

    /// <summary>Adaptive KL controller target (nats per response); null keeps beta fixed.</summary>
    public double? AdaptiveKlTarget { get; set; }

    public double ClipRange { get; set; } = PpoTrainer.Defaults.ClipRange;

    public double ValueCoefficient { get; set; } = PpoTrainer.Defaults.ValueCoefficient;

    /// <summary>Evaluations after step 0, log-spaced from step 1 to the last step.</summary>
    public int EvaluationPoints { get; set; } = PpoTrainer.Defaults.EvaluationPoints;

    public int EvaluationSamples { get; set; } = PpoTrainer.Defaults.EvaluationSamples;

    /// <summary>The penalty estimator <see cref="PenaltyEstimator"/> names: "exact" or "k1".</summary>
    public KlPenaltyEstimator Estimator() => PenaltyEstimator switch
    {
        "exact" => KlPenaltyEstimator.Exact,
        "k1" => KlPenaltyEstimator.K1,
        _ => throw new OverOptConfigurationException($"penaltyEstimator = '{PenaltyEstimator}' is unknown.", "penaltyEstimator", "use \"exact\" (the default) or \"k1\"."),
    };

    /// <summary>
    /// The library's options this section stands for, for one coefficient and seed: the one place the section maps
    /// onto <see cref="PpoTrainer.Options"/>. The caller adds what is no setting (policies, scorers, data, device).
    /// </summary>
    public PpoTrainer.Options Options(SamplingSpec sampling, double klCoefficient, int seed) => new()
    {
        KlCoefficient = klCoefficient,
        PenaltyEstimator = Estimator(),
        AdaptiveKlTarget = AdaptiveKlTarget,
        BatchSize = BatchSize,
        PpoEpochs = PpoEpochs,
        MiniBatches = MiniBatches,
        LearningRate = LearningRate,
        AnnealLearningRate = AnnealLearningRate,
        ClipRange = ClipRange,
        ValueCoefficient = ValueCoefficient,
        ResponseLength = sampling.ResponseLength,
        Temperature = sampling.Temperature,
        Steps = Steps,
        EvaluationPoints = EvaluationPoints,
        EvaluationSamples = EvaluationSamples,
        Seed = seed,
    };
}
