using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;
using OverOpt.MLNet.Policies;

namespace OverOpt.MLNet.Ppo;

/// <summary>
/// What a PPO run produced: the trained policy, its curve (method "ppo"; scores re-centred so that pi_init scores 0 on
/// the evaluation prompts), the per-step diagnostics, the R_RL fit (null where the curve has too few distinct points)
/// and pi_init's raw mean scores that were subtracted. <paramref name="Resumed"/>: it continued from a checkpoint;
/// <paramref name="DiscardedCheckpoint"/>: why a checkpoint found was unreadable and so discarded (the run started
/// again from step 0), null otherwise.
/// </summary>
public sealed record PpoResult(Policy Policy, IReadOnlyList<CurvePoint> Curve, IReadOnlyList<PpoDiagnostics> Diagnostics, GoldCurveFit? Fit, ScoreBaseline Baseline,
    bool Resumed, string? DiscardedCheckpoint = null);

/// <summary>pi_init's mean raw scores on the evaluation prompts: what a curve subtracts so that it starts at 0 (the paper's R(0) = 0).</summary>
public sealed record ScoreBaseline(double Proxy, double Gold, double Rule);
