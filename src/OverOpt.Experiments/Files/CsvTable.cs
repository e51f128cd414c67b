using System.Globalization;
using System.Text;
using OverOpt.MLNet.Artifacts;

namespace OverOpt.Experiments.Files;

/// <summary>A CSV file built in memory and written atomically (RFC 4180 quoting, invariant culture, NaN as empty).</summary>
public sealed class CsvTable
{
    private readonly StringBuilder _text = new();
    private readonly int _columns;

    public CsvTable(params string[] header)
    {
        _columns = header.Length;
        AppendRow(header);
    }

    public void Add(params object?[] values)
    {
        if (values.Length != _columns)
        {
            throw new ArgumentException($"A row has {values.Length} values; the header has {_columns}.", nameof(values));
        }
        AppendRow(values.Select(Format));
    }

    public void Save(string path) => AtomicFile.WriteAllText(path, _text.ToString());

    public override string ToString() => _text.ToString();

    private void AppendRow(IEnumerable<string> cells)
    {
        _text.AppendJoin(',', cells.Select(Quote));
        _text.Append('\n');
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        double d when double.IsNaN(d) => "",
        float f when float.IsNaN(f) => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Quote(string cell)
        => cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
}
