using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.Outcomes;

/// <summary>A proxy's best-of-n outcome: the fit (with 95% intervals) and the overoptimization verdict.</summary>
public sealed record BestOfNSummary(string Policy, string Proxy, long ProxyParams, GoldCurveFit Fit, OveroptimizationVerdict Verdict, int PeakN);
