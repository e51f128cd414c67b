using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.Outcomes;

/// <summary>One round of an iterated RLHF run: PPO's steps, the KL it spent from the round's start, and gold gained so far.</summary>
internal sealed record IteratedRound(int Round, int Comparisons, double Steps, double Kl, double TotalD, double RoundGold, double TotalGold, double RoundProxy);

/// <summary>
/// One iterated RLHF run (k rounds on one seed): its rounds, the first round's PPO curve and fit (for k = 1, the single
/// round's R_RL), and the last policy measured directly against pi_init (exact KL, gold gained on the same prompts).
/// </summary>
internal sealed record IteratedRlhfRun(int Rounds, int Seed, IReadOnlyList<IteratedRound> RoundResults, IReadOnlyList<CurvePoint> FirstCurve, GoldCurveFit? FirstFit,
    double KlFromInit, double GoldFromInit)
{
    /// <summary>The last round's totals.</summary>
    public IteratedRound Last => RoundResults[^1];
}
