namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// Anything that scores responses in batches: every <see cref="RewardModel"/>, an ensemble of them, or a known
/// function in tests. What PPO optimizes.
/// </summary>
public interface IRewardScorer
{
    /// <summary>A short name for progress lines and curve rows (e.g. "gold", "rule" or a proxy's name).</summary>
    string Name { get; }

    /// <summary>What identifies this scorer's function (its training provenance where it has one), for resume checks.</summary>
    string Provenance => Name;

    /// <summary>One score per (prompt, response) pair, in order, higher meaning preferred; reward models give normalized scores (pi_init's samples: mean 0, std 1).</summary>
    float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses);
}
