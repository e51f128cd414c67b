using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.MLNet.BestOfN;

/// <summary>A proxy's best-of-n curve, the fit of R_bon(d) to its gold scores, and the per-prompt values behind them.</summary>
/// <param name="Points">The curve, one point per n.</param>
/// <param name="Fit">R_bon(d) = d (alpha - beta d) fitted on gold.</param>
/// <param name="SelectionByN">For each n of the curve, the index (within its prompt) of the sample best-of-n picks when the first n samples are drawn, for the first prompt (for reports).</param>
public sealed record BestOfNResult(IReadOnlyList<CurvePoint> Points, GoldCurveFit Fit, IReadOnlyDictionary<int, int> SelectionByN);
