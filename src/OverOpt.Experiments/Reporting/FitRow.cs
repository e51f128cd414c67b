using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.Reporting;

/// <summary>
/// A row of fits.csv: a fit named by the key of the curve it was fitted to, null where the curve could not be fitted;
/// <paramref name="AlphaShared"/> for the RL fits whose alpha is shared by every proxy at one KL coefficient.
/// </summary>
public sealed record FitRow(CurveKey Curve, GoldCurveFit? Fit, bool AlphaShared = false);
