namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// Anything that scores responses in batches: every <see cref="RewardModel"/>, an ensemble of them, or a known
/// function in tests. What PPO optimizes.
/// </summary>
public interface IRewardScorer
{
    string Name { get; }

    float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses);
}
