namespace OverOpt.Experiments.Outcomes;

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
    public IReadOnlyList<Finding> RlFindings { get; init; } = [];

    /// <summary>Distinct prompts (deduplicated by text) for training stages and for evaluations; stories that gave a prompt.</summary>
    public int TrainPrompts { get; init; }

    public int HeldOutPrompts { get; init; }

    public int PromptSources { get; init; }

    /// <summary>Wall seconds per stage (pretraining, gold, comparisons, then proxies, best-of-n and ppo as one job graph, direct alignment, iterated RLHF).</summary>
    public IReadOnlyDictionary<string, double> StageSeconds { get; init; } = new Dictionary<string, double>();

    public double WallSeconds { get; init; }

    public string OutputDirectory { get; init; } = "";
}

