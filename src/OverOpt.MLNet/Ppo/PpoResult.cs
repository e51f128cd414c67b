using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Fits;
using OverOpt.MLNet.Policies;

namespace OverOpt.MLNet.Ppo;

/// <summary>What a PPO run produced: the trained policy, its curve (method "ppo"), the per-step diagnostics and the R_RL fit.</summary>
public sealed record PpoResult(Policy Policy, IReadOnlyList<CurvePoint> Curve, IReadOnlyList<PpoDiagnostics> Diagnostics, GoldCurveFit? Fit, bool Resumed);
