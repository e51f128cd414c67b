namespace OverOpt.Experiments.Outcomes;

/// <summary>What one optimized policy of a pipeline produced: its best-of-n curves, its PPO configurations and its direct alignment configurations.</summary>
internal sealed record PolicyOutcome(string Policy, long Parameters, BestOfNOutcome? BestOfN, IReadOnlyList<PpoConfiguration> Ppo)
{
    /// <summary>DPO, IPO or SLiC on the same comparisons (the pipeline's <c>directAlignment</c>); empty without it.</summary>
    public IReadOnlyList<DirectAlignmentConfiguration> DirectAlignment { get; init; } = [];

    /// <summary>Iterated RLHF's runs (the pipeline's <c>iteratedRlhf</c>); empty without it.</summary>
    public IReadOnlyList<IteratedRlhfRun> IteratedRlhf { get; init; } = [];
}
