using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Ppo;

/// <summary>
/// The RL counterpart of <see cref="BestOfNCurveTransformer"/>, for the end of a chain: evaluation samples of an RL run
/// in (<see cref="RlEvaluationSample"/> columns: step, proxy and gold scores, exact KL), the RL curve out
/// (<see cref="CurvePoint"/> rows, one per step in step order, d = sqrt(mean KL)). Stateless and lazy: the curve is
/// computed when the returned view is first read. Fit it with <see cref="OveroptimizationCatalog.FitGoldCurve"/> and
/// <see cref="Fits.GoldCurveForm.ReinforcementLearning"/>.
/// </summary>
public sealed class RlCurveTransformer : ITransformer
{
    private readonly MLContext _ml;
    private readonly RlCurveOptions _options;

    /// <summary>Use <c>mlContext.Overoptimization().RlCurve</c>.</summary>
    public RlCurveTransformer(MLContext mlContext, RlCurveOptions options)
    {
        _ml = mlContext;
        _options = options;
    }

    /// <summary>False: it aggregates the samples of each step.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>The curve's columns (<see cref="CurvePoint"/>); checks the sample columns first.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        Check(inputSchema);
        return BestOfNCurveTransformer.CurveSchema(_ml);
    }

    /// <summary>Not available: an aggregating transformer has no row-to-row mapper.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        => throw new InvalidOperationException("The RL curve aggregates the samples of each step; it has no row-to-row mapper.");

    /// <summary>The curve of <paramref name="input"/>'s samples, computed when first read.</summary>
    public IDataView Transform(IDataView input)
    {
        Check(input.Schema);
        return new DeferredDataView(BestOfNCurveTransformer.CurveSchema(_ml), () => _ml.Data.LoadFromEnumerable(Curve(input)));
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException(nameof(RlCurveTransformer) + " " + string.Format(BestOfNCurveTransformer.SaveRefusal, "RlCurve"));

    private List<CurvePoint> Curve(IDataView input)
    {
        var rows = _ml.Data.CreateEnumerable<RlEvaluationSample>(input, reuseRowObject: false, ignoreMissingColumns: false).ToList();
        for (int i = 0; i < rows.Count; i++)
        {
            var (column, value) = !float.IsFinite(rows[i].ProxyScore) ? (nameof(RlEvaluationSample.ProxyScore), rows[i].ProxyScore)
                : !float.IsFinite(rows[i].GoldScore) ? (nameof(RlEvaluationSample.GoldScore), rows[i].GoldScore)
                : !(rows[i].Kl >= 0) ? (nameof(RlEvaluationSample.Kl), rows[i].Kl) : ("", 0f);
            if (column != "")
            {
                throw new OverOptConfigurationException($"row {i} has {value} in '{column}'.", column, "scores must be finite and KL a number >= 0; drop or fix that row.");
            }
        }
        if (rows.Count == 0)
        {
            throw new OverOptConfigurationException("the samples have no rows.", nameof(RlEvaluationSample.Step), "give at least one evaluation step's samples.");
        }
        var points = rows.GroupBy(r => r.Step).OrderBy(g => g.Key).Select(g => RlCurvePoints.At(_options.Key, g.Key,
            g.Select(r => (double)r.Kl).ToArray(), g.Select(r => (double)r.ProxyScore).ToArray(), g.Select(r => (double)r.GoldScore).ToArray(), rule: null)).ToList();
        if (!_options.RecentreOnStepZero)
        {
            return points;
        }
        if (points[0].Step != 0)
        {
            throw new OverOptConfigurationException(
                $"re-centring needs pi_init's samples (step 0), but the first step is {points[0].Step}.", nameof(RlEvaluationSample.Step),
                "add step 0's samples, or set RecentreOnStepZero = false.");
        }
        var baseline = new ScoreBaseline(points[0].ProxyScore, points[0].GoldScore, double.NaN);
        return points.Select(p => RlCurvePoints.Centre(p, baseline)).ToList();
    }

    private static void Check(DataViewSchema schema)
    {
        CurveColumns.Require(schema, nameof(RlEvaluationSample.Step), NumberDataViewType.Int32, nameof(RlEvaluationSample));
        CurveColumns.Require(schema, nameof(RlEvaluationSample.ProxyScore), NumberDataViewType.Single, nameof(RlEvaluationSample));
        CurveColumns.Require(schema, nameof(RlEvaluationSample.GoldScore), NumberDataViewType.Single, nameof(RlEvaluationSample));
        CurveColumns.Require(schema, nameof(RlEvaluationSample.Kl), NumberDataViewType.Single, nameof(RlEvaluationSample));
    }
}
