using Microsoft.ML;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;
using OverOpt.MLNet.Ppo;

namespace OverOpt.MLNet;

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

    /// <summary>The evaluation transformer from an RL run's evaluation samples to its curve of gold and proxy against d.</summary>
    public RlCurveTransformer RlCurve(RlCurveOptions? options = null) => new(_ml, options ?? new RlCurveOptions());

    /// <summary>
    /// Evaluates best-of-n on samples from anywhere, as <c>Ranking.Evaluate</c> evaluates rankings: rows of N sampled
    /// responses per prompt, each with a prompt id, one or more proxy scores and a gold score (columns named by
    /// <paramref name="options"/>). Returns, per proxy column and (for two or more) per ensemble objective, the
    /// unbiased best-of-n curve with ties, analytic and measured KL and bootstrap intervals over prompts, the R_bon fit
    /// and the overoptimization verdict. Rows are grouped by prompt id in order of first appearance; prompts with
    /// fewer samples than the largest n are left out and listed in the result; identical rows are kept as samples.
    /// By default every score column is normalized to mean 0, std 1 over the evaluated samples first
    /// (<see cref="BestOfNEvaluationOptions.NormalizeScores"/>).
    /// </summary>
    /// <exception cref="Runtime.OverOptConfigurationException">A column is missing or not numeric, a score is not a
    /// finite number (the message names the column and data row), or no prompt has enough samples.</exception>
    public BestOfNEvaluationResult EvaluateBestOfN(IDataView data, BestOfNEvaluationOptions? options = null)
        => BestOfNBatchEvaluation.Evaluate(data, options ?? new BestOfNEvaluationOptions());

    /// <summary>Fits a gold curve form to a curve IDataView (no bootstrap resamples: the interval bounds are NaN; EvaluateBestOfN gives bootstrap intervals).</summary>
    public GoldCurveFit FitGoldCurve(IDataView curve, GoldCurveForm form)
    {
        var points = _ml.Data.CreateEnumerable<CurvePoint>(curve, reuseRowObject: false).ToList();
        return CurveFitter.Fit(form, points.Select(p => p.D).ToArray(), points.Select(p => p.GoldScore).ToArray(), []);
    }
}
