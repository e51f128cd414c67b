using OverOpt.Experiments.Analysis;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.Pipelines;

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

    /// <summary>Per PPO configuration (proxy, KL coefficient), on the mean of its seeds: fits, verdict and wall time.</summary>
    public IReadOnlyList<PpoSummary> Ppo { get; init; } = [];

    /// <summary>The paper's RL findings judged on the seed means.</summary>
    public IReadOnlyList<RlFinding> RlFindings { get; init; } = [];

    /// <summary>Distinct prompts (deduplicated by text) for training stages and for evaluations; stories that gave a prompt.</summary>
    public int TrainPrompts { get; init; }

    public int HeldOutPrompts { get; init; }

    public int PromptSources { get; init; }

    /// <summary>Wall seconds per stage (pretraining, gold, comparisons, proxies and best-of-n samples, best-of-n curves, ppo).</summary>
    public IReadOnlyDictionary<string, double> StageSeconds { get; init; } = new Dictionary<string, double>();

    public double WallSeconds { get; init; }

    public string OutputDirectory { get; init; } = "";
}

/// <summary>A pretrained policy of a run.</summary>
public sealed record PolicyResult(
    string Name, string Shape, long Parameters, double InitialValidationLoss, double ValidationLoss, double TrainingSeconds, bool FromCache, string Artifact);

/// <summary>A reward model of a run.</summary>
public sealed record RewardModelResult(
    string Policy, string Name, string Kind, long Parameters, int TrainingComparisons, double ValidationLoss, double ValidationAccuracy, bool FromCache,
    IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The seed a transformer proxy was trained with (the pipeline's proxySeed, else its seed); null for gold and FastTree.</summary>
    public int? ProxySeed { get; init; }
}

/// <summary>A proxy's best-of-n outcome: the fit (with 95% intervals) and the overoptimization verdict.</summary>
public sealed record BestOfNSummary(string Policy, string Proxy, long ProxyParams, GoldCurveFit Fit, OveroptimizationVerdict Verdict, int PeakN);

/// <summary>
/// A PPO configuration's outcome on the mean of its seeds: the free R_RL fit and the fit with alpha shared across proxies
/// (null where a curve cannot be fitted), the verdict, final proxy score, KL and share of distinct responses, seconds in all.
/// </summary>
public sealed record PpoSummary(string Policy, string Proxy, double KlCoefficient, IReadOnlyList<int> Seeds, GoldCurveFit? Fit, GoldCurveFit? SharedAlphaFit,
    OveroptimizationVerdict Verdict, int PeakStep, double FinalProxy, double FinalKl, double FinalDistinctResponses, double Seconds)
{
    internal static PpoSummary Of(PpoConfiguration c)
    {
        var last = c.MeanCurve[^1];
        return new PpoSummary(c.Policy, c.Proxy.Name, c.KlCoefficient, c.Seeds.Select(s => s.Seed).ToList(), c.MeanFit, c.SharedAlphaFit, c.Verdict,
            (int)c.MeanCurve[c.Verdict.PeakIndex].Step, last.ProxyScore, last.Kl, c.Seeds.Average(s => s.Result.Diagnostics[^1].DistinctResponses),
            c.Seeds.Sum(s => s.Seconds));
    }
}
