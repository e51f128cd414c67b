namespace OverOpt.MLNet.Pipelines;

/// <summary>What a pipeline run produced: one entry per policy and the sampling figures. Written as summary.json.</summary>
public sealed record PipelineResult
{
    public string Pipeline { get; init; } = "";

    public int Seed { get; init; }

    public string Corpus { get; init; } = "";

    public int VocabularySize { get; init; }

    public IReadOnlyList<PolicyResult> Policies { get; init; } = [];

    public int SampledResponses { get; init; }

    public double SampledTokensPerSecond { get; init; }

    public double MeanResponseKl { get; init; }

    /// <summary>Gold first, then the proxies; empty where the pipeline has no gold.</summary>
    public IReadOnlyList<RewardModelResult> RewardModels { get; init; } = [];

    /// <summary>Per proxy: the R_bon fit and whether its gold curve overoptimizes.</summary>
    public IReadOnlyList<BestOfNSummary> BestOfN { get; init; } = [];

    /// <summary>Per PPO run: the R_RL fit, the overoptimization verdict and its wall time.</summary>
    public IReadOnlyList<PpoSummary> Ppo { get; init; } = [];

    public double WallSeconds { get; init; }

    public string OutputDirectory { get; init; } = "";
}

/// <summary>A pretrained policy of a run.</summary>
public sealed record PolicyResult(
    string Name, string Shape, long Parameters, double InitialValidationLoss, double ValidationLoss, double TrainingSeconds, bool FromCache, string Artifact);

/// <summary>A reward model of a run.</summary>
public sealed record RewardModelResult(
    string Name, string Kind, long Parameters, int TrainingComparisons, double ValidationLoss, double ValidationAccuracy, bool FromCache,
    IReadOnlyDictionary<string, double> Metrics);

/// <summary>A proxy's best-of-n outcome: the fit (with 95% intervals) and the overoptimization verdict.</summary>
public sealed record BestOfNSummary(string Proxy, long ProxyParams, Fits.GoldCurveFit Fit, BestOfN.OveroptimizationVerdict Verdict, int PeakN);

/// <summary>A PPO run's outcome: fit (null with too few points), verdict on its gold curve, final proxy score and KL, seconds.</summary>
public sealed record PpoSummary(string Proxy, Fits.GoldCurveFit? Fit, BestOfN.OveroptimizationVerdict Verdict, int PeakStep, double FinalProxy, double FinalKl, double Seconds);
