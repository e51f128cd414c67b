using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.BestOfN;

/// <summary>
/// An evaluation transformer for the end of a chain: scored samples in (<see cref="ScoredSample"/> columns, in order
/// within each prompt), the best-of-n curve out (<see cref="CurvePoint"/> rows). Stateless: the same input gives the
/// same curve, computed lazily when the returned view is first read (so data errors surface then). For the fit and
/// verdict beside the curve use <see cref="OveroptimizationCatalog.EvaluateBestOfN"/>, or fit the curve with
/// <see cref="OveroptimizationCatalog.FitGoldCurve"/>.
/// </summary>
public sealed class BestOfNCurveTransformer : ITransformer
{
    internal const string SaveRefusal =
        "is an evaluation step: it aggregates rows, which no ML.NET component loadable through the public API can do, and it learns "
        + "nothing. Save the chain before it with mlContext.Model.Save, and after loading append a new one from the same options "
        + "(mlContext.Overoptimization().{0}(options)).";

    private readonly MLContext _ml;
    private readonly BestOfNOptions _options;

    /// <summary>Use <c>mlContext.Overoptimization().BestOfNCurve</c>.</summary>
    public BestOfNCurveTransformer(MLContext mlContext, BestOfNOptions options)
    {
        options.Validate();
        _ml = mlContext;
        _options = options;
    }

    /// <summary>False: it aggregates the samples of each prompt.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>The curve's columns (<see cref="CurvePoint"/>); checks the sample columns first.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        Check(inputSchema);
        return CurveSchema(_ml);
    }

    /// <summary>Not available: an aggregating transformer has no row-to-row mapper.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        => throw new InvalidOperationException("The best-of-n curve aggregates the samples of each prompt; it has no row-to-row mapper.");

    /// <summary>The curve of <paramref name="input"/>'s samples, computed when first read.</summary>
    public IDataView Transform(IDataView input)
    {
        Check(input.Schema);
        return new DeferredDataView(CurveSchema(_ml), () =>
        {
            var rows = _ml.Data.CreateEnumerable<ScoredSample>(input, reuseRowObject: false, ignoreMissingColumns: false);
            var byPrompt = rows.GroupBy(r => r.PromptIndex).OrderBy(g => g.Key).ToList();
            var result = BestOfNEvaluator.Evaluate(
                byPrompt.Select(g => g.Select(r => r.ProxyScore).ToArray()).ToArray(),
                byPrompt.Select(g => g.Select(r => r.GoldScore).ToArray()).ToArray(),
                _options);
            return _ml.Data.LoadFromEnumerable(result.Points);
        });
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException(nameof(BestOfNCurveTransformer) + " " + string.Format(SaveRefusal, "BestOfNCurve"));

    /// <summary>The schema of curve IDataViews.</summary>
    internal static DataViewSchema CurveSchema(MLContext mlContext) => mlContext.Data.LoadFromEnumerable(Array.Empty<CurvePoint>()).Schema;

    private static void Check(DataViewSchema schema)
    {
        foreach (var (column, type) in new (string, DataViewType)[]
        {
            (nameof(ScoredSample.PromptIndex), NumberDataViewType.Int32),
            (nameof(ScoredSample.ProxyScore), NumberDataViewType.Single),
            (nameof(ScoredSample.GoldScore), NumberDataViewType.Single),
        })
        {
            CurveColumns.Require(schema, column, type, "ScoredSample");
        }
    }
}
