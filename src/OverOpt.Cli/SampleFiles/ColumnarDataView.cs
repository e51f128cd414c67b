using Microsoft.ML;
using Microsoft.ML.Data;

namespace OverOpt.Cli.SampleFiles;

/// <summary>
/// An IDataView over columns already in memory (one array per column, all of one length), for sources ML.NET has no
/// loader for (Parquet). Each array's element type is the raw type of its ML.NET column type.
/// </summary>
internal sealed class ColumnarDataView : IDataView
{
    private readonly Array[] _values;
    private readonly int _rows;

    public ColumnarDataView(IReadOnlyList<(string Name, DataViewType Type, Array Values)> columns)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var (name, type, values) in columns)
        {
            if (values.GetType().GetElementType() != type.RawType)
            {
                throw new ArgumentException($"column '{name}' holds {values.GetType().Name}, not {type.RawType.Name}[] as {type} needs.", nameof(columns));
            }
            builder.AddColumn(name, type);
        }
        Schema = builder.ToSchema();
        _values = columns.Select(c => c.Values).ToArray();
        _rows = _values.Length == 0 ? 0 : _values[0].Length;
        if (_values.Any(v => v.Length != _rows))
        {
            throw new ArgumentException("the columns differ in length.", nameof(columns));
        }
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(ColumnarDataView view) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext() => ++_position < view._rows;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var values = view._values[column.Index] as TValue[]
                ?? throw new InvalidOperationException($"column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
            return (ref TValue value) => value = values[_position];
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);
    }
}
