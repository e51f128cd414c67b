using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.BestOfN;

/// <summary>
/// An evaluation transformer: samples in (<see cref="ScoredSample"/> columns, in order within each prompt), the
/// best-of-n curve out (<see cref="CurvePoint"/> rows). It aggregates rather than maps rows, and learns nothing, so it
/// is not a row-to-row mapper and has nothing to save: re-create it from its options.
/// </summary>
public sealed class BestOfNCurveTransformer : ITransformer
{
    private readonly MLContext _ml;
    private readonly BestOfNOptions _options;

    public BestOfNCurveTransformer(MLContext mlContext, BestOfNOptions options)
    {
        options.Validate();
        _ml = mlContext;
        _options = options;
    }

    /// <summary>The last result, with the fit, after <see cref="Transform"/>.</summary>
    public BestOfNResult? LastResult { get; private set; }

    public bool IsRowToRowMapper => false;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        Check(inputSchema);
        return _ml.Data.LoadFromEnumerable(Array.Empty<CurvePoint>()).Schema;
    }

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        => throw new InvalidOperationException("The best-of-n curve aggregates the samples of each prompt; it has no row-to-row mapper.");

    public IDataView Transform(IDataView input)
    {
        Check(input.Schema);
        var rows = _ml.Data.CreateEnumerable<ScoredSample>(input, reuseRowObject: false, ignoreMissingColumns: false);
        var byPrompt = rows.GroupBy(r => r.PromptIndex).OrderBy(g => g.Key).ToList();
        LastResult = BestOfNEvaluator.Evaluate(
            byPrompt.Select(g => g.Select(r => r.ProxyScore).ToArray()).ToArray(),
            byPrompt.Select(g => g.Select(r => r.GoldScore).ToArray()).ToArray(),
            _options);
        return _ml.Data.LoadFromEnumerable(LastResult.Points);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException("The best-of-n curve transformer learns nothing; re-create it from its BestOfNOptions instead of saving it.");

    private static void Check(DataViewSchema schema)
    {
        foreach (var (column, type) in new (string, DataViewType)[]
        {
            (nameof(ScoredSample.PromptIndex), NumberDataViewType.Int32),
            (nameof(ScoredSample.ProxyScore), NumberDataViewType.Single),
            (nameof(ScoredSample.GoldScore), NumberDataViewType.Single),
        })
        {
            var found = schema.GetColumnOrNull(column);
            if (found is null || found.Value.Type != type)
            {
                throw new OverOptConfigurationException(
                    found is null ? $"the samples have no column '{column}'." : $"'{column}' is {found.Value.Type}, not {type}.",
                    column, $"give the samples a {type} column '{column}' (see ScoredSample).");
            }
        }
    }
}
