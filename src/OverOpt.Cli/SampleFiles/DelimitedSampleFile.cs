using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Cli.SampleFiles;

/// <summary>
/// CSV and TSV through ML.NET's TextLoader, plain or gzip-compressed (.csv.gz, .tsv.gz: decompressed as it is read,
/// never to disk). The header row names the columns; every column is loaded as text, so that a value that is not a
/// number is reported with its row and column instead of becoming NaN in the loader.
/// </summary>
internal static class DelimitedSampleFile
{
    public static IDataView Load(MLContext ml, string path, char separator, bool gzip)
    {
        var source = new TextFileSource(path, gzip);
        string? header;
        using (var reader = source.OpenTextReader(0))
        {
            header = reader.ReadLine();
        }
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new OverOptConfigurationException("the file is empty or its first line is blank; it needs a header row naming the columns.", "header", "put the column names on the first line.", path);
        }
        var names = SplitHeader(header, separator);
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null || names.Any(string.IsNullOrEmpty))
        {
            throw new OverOptConfigurationException(
                duplicate is not null ? $"the header names column '{duplicate.Key}' twice." : "the header has an unnamed column.",
                "header", "give every column a distinct name on the first line.", path);
        }
        var columns = names.Select((name, i) => new TextLoader.Column(name, DataKind.String, i)).ToArray();
        return ml.Data.CreateTextLoader(columns, separator, hasHeader: true, allowQuoting: true, trimWhitespace: false).Load(source);
    }

    /// <summary>Splits the header row, honouring double quotes as the TextLoader does for data rows.</summary>
    private static List<string> SplitHeader(string line, char separator)
    {
        var names = new List<string>();
        var name = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '"' && quoted && i + 1 < line.Length && line[i + 1] == '"')
            {
                name.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == separator && !quoted)
            {
                names.Add(name.ToString().Trim());
                name.Clear();
            }
            else
            {
                name.Append(c);
            }
        }
        names.Add(name.ToString().Trim());
        return names;
    }

    /// <summary>The file as ML.NET's text loader reads it: each cursor opens its own (decompressing) stream.</summary>
    private sealed class TextFileSource(string path, bool gzip) : IMultiStreamSource
    {
        public int Count => 1;

        public string GetPathOrNull(int index) => path;

        public Stream Open(int index)
        {
            var file = File.OpenRead(path);
            return gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        }

        public TextReader OpenTextReader(int index) => new StreamReader(Open(index));
    }
}
