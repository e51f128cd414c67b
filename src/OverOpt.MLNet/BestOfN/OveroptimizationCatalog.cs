using Microsoft.ML;
using OverOpt.MLNet.Fits;

namespace OverOpt.MLNet.BestOfN;

/// <summary>Overoptimization curves and their fits. Reached as <c>mlContext.Overoptimization()</c>.</summary>
public sealed class OveroptimizationCatalog
{
    private readonly MLContext _ml;

    internal OveroptimizationCatalog(MLContext mlContext)
    {
        _ml = mlContext;
    }

    /// <summary>The evaluation transformer from scored samples to the best-of-n curve.</summary>
    public BestOfNCurveTransformer BestOfNCurve(BestOfNOptions options) => new(_ml, options);

    /// <summary>Fits a gold curve form to a curve IDataView (no bootstrap: the intervals collapse to the estimate).</summary>
    public GoldCurveFit FitGoldCurve(IDataView curve, GoldCurveForm form)
    {
        var points = _ml.Data.CreateEnumerable<CurvePoint>(curve, reuseRowObject: false).ToList();
        return CurveFitter.Fit(form, points.Select(p => p.D).ToArray(), points.Select(p => p.GoldScore).ToArray(), []);
    }
}
