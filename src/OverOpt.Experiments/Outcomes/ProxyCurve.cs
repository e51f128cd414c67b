using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.RewardModels;

namespace OverOpt.Experiments.Outcomes;

/// <summary>A proxy's best-of-n outcome in a pipeline run.</summary>
public sealed record ProxyCurve(RewardModel Proxy, BestOfNResult Result, OveroptimizationVerdict Verdict, float[] ProxyScores);
