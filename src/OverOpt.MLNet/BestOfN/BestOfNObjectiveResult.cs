using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.MLNet.BestOfN;

/// <summary>One objective's best-of-n evaluation: its curve, the R_bon fit of the curve's gold, and the verdict.</summary>
/// <param name="Label">The curve's label (the proxy column's name, or e.g. <c>ensemble-mean</c>); <see cref="CurvePoint.Proxy"/> of its points.</param>
/// <param name="Objective">What best-of-n maximized.</param>
/// <param name="Members">The proxy columns the objective reads (one for <see cref="BestOfNObjective.Single"/>).</param>
/// <param name="Curve">One point per n, from n = 1 to the largest n.</param>
/// <param name="Fit">R_bon(d) = d (alpha - beta d) fitted on the curve's gold scores, with bootstrap intervals.</param>
/// <param name="Verdict">Whether gold peaks inside the range and then falls below the peak's interval.</param>
public sealed record BestOfNObjectiveResult(
    string Label,
    BestOfNObjective Objective,
    IReadOnlyList<string> Members,
    IReadOnlyList<CurvePoint> Curve,
    GoldCurveFit Fit,
    OveroptimizationVerdict Verdict);
