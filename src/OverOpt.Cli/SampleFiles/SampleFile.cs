using Microsoft.ML;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Cli.SampleFiles;

/// <summary>Opens a file of scored samples as an IDataView, choosing the reader by the file's extension.</summary>
internal static class SampleFile
{
    public const string Formats = ".csv, .tsv (header row), .parquet, or a SQLite database (.db, .sqlite, .sqlite3) with --table";

    public static IDataView Load(MLContext ml, string path, string? table)
    {
        if (!File.Exists(path))
        {
            throw new OverOptConfigurationException("the file does not exist.", "--data", $"give the path of a file of scored samples ({Formats}).", path);
        }
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (table is not null || extension is ".db" or ".sqlite" or ".sqlite3")
        {
            return SqliteSampleFile.Load(ml, path, table);
        }
        return extension switch
        {
            ".csv" => DelimitedSampleFile.Load(ml, path, ','),
            ".tsv" or ".tab" => DelimitedSampleFile.Load(ml, path, '\t'),
            ".parquet" => ParquetSampleFile.Load(path),
            _ => throw new OverOptConfigurationException($"'{extension}' is not a format this command reads.", "--data", $"give one of {Formats}.", path),
        };
    }
}
