using System.Text;

namespace OverOpt.Experiments.Files;

/// <summary>
/// A CSV file read back whole (RFC 4180: quoted cells with commas, quotes and line breaks), as <see cref="CsvTable"/>
/// writes it. Readers find columns by their header names, never by position, so a table that gains a column stays
/// readable.
/// </summary>
public sealed class CsvDocument
{
    private CsvDocument(IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        Header = header;
        Rows = rows;
    }

    /// <summary>The column names, in the file's order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The data rows, each as long as the header.</summary>
    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>Reads a file; <see cref="InvalidDataException"/> names the row whose cell count differs from the header's.</summary>
    public static CsvDocument Read(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses CSV text; <paramref name="source"/> only labels errors.</summary>
    public static CsvDocument Parse(string text, string source)
    {
        var records = Records(text).ToList();
        if (records.Count == 0)
        {
            throw new InvalidDataException($"{source} is empty; a CSV table starts with a header row.");
        }
        var header = records[0];
        for (int i = 1; i < records.Count; i++)
        {
            if (records[i].Length != header.Length)
            {
                throw new InvalidDataException($"{source}: data row {i} has {records[i].Length} cells, but the header has {header.Length}.");
            }
        }
        return new CsvDocument(header, records.Skip(1).ToList());
    }

    /// <summary>The position of a column, or -1.</summary>
    public int IndexOf(string column) => Header.ToList().IndexOf(column);

    private static IEnumerable<string[]> Records(string text)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        bool any = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    yield return cells.ToArray();
                    cells.Clear();
                    any = false;
                    break;
                default:
                    cell.Append(c);
                    any = true;
                    break;
            }
        }
        if (any || cell.Length > 0)
        {
            cells.Add(cell.ToString());
            yield return cells.ToArray();
        }
    }
}
