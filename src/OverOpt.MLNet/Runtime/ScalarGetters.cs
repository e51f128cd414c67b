using Microsoft.ML;

namespace OverOpt.MLNet.Runtime;

/// <summary>
/// Reads scalars of whatever integer, key, float or Boolean type a user's data holds, as one type (ML.NET's
/// ConvertType does not turn unsigned or key columns into Int64).
/// </summary>
internal static class ScalarGetters
{
    public static Func<long> Int64(DataViewRowCursor cursor, DataViewSchema.Column column) => column.Type.RawType switch
    {
        var t when t == typeof(byte) => Read<byte>(cursor, column, v => v),
        var t when t == typeof(sbyte) => Read<sbyte>(cursor, column, v => v),
        var t when t == typeof(ushort) => Read<ushort>(cursor, column, v => v),
        var t when t == typeof(short) => Read<short>(cursor, column, v => v),
        var t when t == typeof(uint) => Read<uint>(cursor, column, v => v),
        var t when t == typeof(int) => Read<int>(cursor, column, v => v),
        var t when t == typeof(ulong) => Read<ulong>(cursor, column, v => unchecked((long)v)),
        var t when t == typeof(long) => Read<long>(cursor, column, v => v),
        _ => throw new OverOptConfigurationException($"column '{column.Name}' holds {column.Type}, not an integer or key type.", column.Name, "convert it to an integer type first."),
    };

    public static Func<float> Single(DataViewRowCursor cursor, DataViewSchema.Column column) => column.Type.RawType switch
    {
        var t when t == typeof(float) => Read<float>(cursor, column, v => v),
        var t when t == typeof(double) => Read<double>(cursor, column, v => (float)v),
        var t when t == typeof(bool) => Read<bool>(cursor, column, v => v ? 1f : 0f),
        _ => throw new OverOptConfigurationException($"column '{column.Name}' holds {column.Type}, not a float or Boolean.", column.Name, "convert it to Single first."),
    };

    /// <summary>A reader of one column's value in the cursor's current row, converted.</summary>
    public static Func<TOut> Read<TIn, TOut>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<TIn, TOut> convert)
    {
        var getter = cursor.GetGetter<TIn>(column);
        TIn value = default!;
        return () =>
        {
            getter(ref value);
            return convert(value);
        };
    }

    private static Func<long> Read<TIn>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<TIn, long> convert) => Read<TIn, long>(cursor, column, convert);

    private static Func<float> Read<TIn>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<TIn, float> convert) => Read<TIn, float>(cursor, column, convert);
}
