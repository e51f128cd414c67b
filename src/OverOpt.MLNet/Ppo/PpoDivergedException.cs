namespace OverOpt.MLNet.Ppo;

/// <summary>A NaN or infinite reward or loss stopped the run; the last checkpoint (written before it) is intact.</summary>
public sealed class PpoDivergedException(int step, string cause)
    : Exception($"PPO stopped at step {step}: {cause}. The last good checkpoint is kept; lower the learning rate or check the reward model, then rerun to resume.")
{
    /// <summary>The optimizer step at which the reward or loss stopped being finite.</summary>
    public int Step { get; } = step;
}
