using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.Reporting;

/// <summary>
/// A row of fits.csv: a fit named by the curve it was fitted to (<paramref name="Curve"/>: any point of it, for its
/// method, policy, proxy, coefficient and seed), null where the curve could not be fitted; <paramref name="AlphaShared"/>
/// for the RL fits whose alpha is shared by every proxy at one KL coefficient.
/// </summary>
public sealed record FitRow(CurvePoint Curve, GoldCurveFit? Fit, bool AlphaShared = false);
