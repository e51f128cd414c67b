namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// Anything that scores responses in batches: every <see cref="RewardModel"/>, an ensemble of them, or a known
/// function in tests. What PPO optimizes.
/// </summary>
public interface IRewardScorer
{
    string Name { get; }

    /// <summary>What identifies this scorer's function (its training provenance where it has one), for resume checks.</summary>
    string Provenance => Name;

    float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses);
}
