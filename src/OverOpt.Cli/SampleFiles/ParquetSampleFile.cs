using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Runtime;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace OverOpt.Cli.SampleFiles;

/// <summary>
/// Parquet through Parquet.Net (ML.NET has no Parquet loader): the file's top-level columns become an IDataView.
/// Whole numbers become Int64 columns (ids stay exact), other numbers Double (null as NaN), everything else text.
/// </summary>
internal static class ParquetSampleFile
{
    public static IDataView Load(string path)
    {
        ParquetSchema schema;
        IList<Dictionary<string, object>> rows;
        try
        {
            using var stream = File.OpenRead(path);
            var untyped = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult();
            (schema, rows) = (untyped.Schema, untyped.Data);
        }
        catch (Exception e) when (e is IOException or ParquetException or InvalidDataException or NotSupportedException)
        {
            throw new OverOptConfigurationException($"it could not be read as Parquet ({e.Message.ReplaceLineEndings(" ")}).", "data", "give a valid Parquet file, or a .csv/.tsv file.", path, e);
        }
        var columns = schema.Fields.OfType<DataField>().Where(f => !f.IsArray)
            .Select(f => Column(f, rows.Select(r => r.GetValueOrDefault(f.Name)).ToList()))
            .ToList();
        return new ColumnarDataView(columns);
    }

    private static (string, DataViewType, Array) Column(DataField field, List<object?> values)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(sbyte) || type == typeof(byte) || type == typeof(ushort) || type == typeof(uint))
        {
            // A null id has no whole-number form; text keeps it apart as empty (the reader reports it by row).
            return values.Any(v => v is null)
                ? (field.Name, TextDataViewType.Instance, Text(values))
                : (field.Name, NumberDataViewType.Int64, values.Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray());
        }
        if (type == typeof(float) || type == typeof(double) || type == typeof(decimal))
        {
            return (field.Name, NumberDataViewType.Double, values.Select(v => v is null ? double.NaN : Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray());
        }
        return (field.Name, TextDataViewType.Instance, Text(values));
    }

    private static ReadOnlyMemory<char>[] Text(List<object?> values)
        => values.Select(v => (Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").AsMemory()).ToArray();
}
