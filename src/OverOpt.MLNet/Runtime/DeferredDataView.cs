using Microsoft.ML;

namespace OverOpt.MLNet.Runtime;

/// <summary>
/// An IDataView whose rows are computed the first time a cursor is asked for, then kept: how an aggregating
/// transformer stays lazy, as ML.NET's own transformers are, while it needs all of its input at once.
/// </summary>
internal sealed class DeferredDataView : IDataView
{
    private readonly Lazy<IDataView> _rows;

    public DeferredDataView(DataViewSchema schema, Func<IDataView> compute)
    {
        Schema = schema;
        _rows = new Lazy<IDataView>(compute, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows.IsValueCreated ? _rows.Value.GetRowCount() : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => _rows.Value.GetRowCursor(Columns(columnsNeeded), rand);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => _rows.Value.GetRowCursorSet(Columns(columnsNeeded), n, rand);

    // The computed view has its own schema object: ask for its columns by index, which the two schemas share.
    private IEnumerable<DataViewSchema.Column> Columns(IEnumerable<DataViewSchema.Column> wanted)
        => wanted.Select(c => _rows.Value.Schema[c.Index]);
}
