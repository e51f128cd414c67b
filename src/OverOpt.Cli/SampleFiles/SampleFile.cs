using Microsoft.ML;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Cli.SampleFiles;

/// <summary>Opens a file of scored samples as an IDataView, choosing the reader by the file's extension.</summary>
internal static class SampleFile
{
    public const string Formats = ".csv, .tsv (header row; gzip-compressed as .csv.gz, .tsv.gz), .parquet, or a SQLite database (.db, .sqlite, .sqlite3) with --table";

    public static IDataView Load(MLContext ml, string path, string? table)
    {
        if (!File.Exists(path))
        {
            throw new OverOptConfigurationException("the file does not exist.", "--data", $"give the path of a file of scored samples ({Formats}).", path);
        }
        string extension = Path.GetExtension(path).ToLowerInvariant();
        bool gzip = extension == ".gz";
        if (gzip)
        {
            extension = Path.GetExtension(Path.GetFileNameWithoutExtension(path)).ToLowerInvariant();
            if (extension is not (".csv" or ".tsv" or ".tab"))
            {
                throw new OverOptConfigurationException($"a gzip-compressed '{extension}' file is not a format this command reads.", "--data", "compress only .csv and .tsv files (.csv.gz, .tsv.gz), or give one of " + Formats + ".", path);
            }
        }
        else if (CompressionOf(path) is { } compression && extension is not ".parquet")
        {
            throw new OverOptConfigurationException($"the file is {compression}-compressed, but its name ends in '{extension}', so it would be read as raw bytes.",
                "--data", compression == "gzip" ? $"name it {Path.GetFileName(path)}.gz (a gzip file ending in .csv.gz or .tsv.gz is read as it is), or decompress it." : $"decompress it ({compression} files are not read directly), or recompress it with gzip as .csv.gz.", path);
        }
        if (table is not null || extension is ".db" or ".sqlite" or ".sqlite3")
        {
            return SqliteSampleFile.Load(ml, path, table);
        }
        return extension switch
        {
            ".csv" => DelimitedSampleFile.Load(ml, path, ',', gzip),
            ".tsv" or ".tab" => DelimitedSampleFile.Load(ml, path, '\t', gzip),
            ".parquet" => ParquetSampleFile.Load(path),
            _ => throw new OverOptConfigurationException($"'{extension}' is not a format this command reads.", "--data", $"give one of {Formats}.", path),
        };
    }

    /// <summary>The compression a file's first bytes show (gzip, zstd, bzip2, xz, zip), or null.</summary>
    private static string? CompressionOf(string path)
    {
        Span<byte> head = stackalloc byte[6];
        int read;
        using (var file = File.OpenRead(path))
        {
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        head = head[..read];
        return head switch
        {
            [0x1F, 0x8B, ..] => "gzip",
            [0x28, 0xB5, 0x2F, 0xFD, ..] => "zstd",
            [(byte)'B', (byte)'Z', (byte)'h', ..] => "bzip2",
            [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00] => "xz",
            [(byte)'P', (byte)'K', 0x03, 0x04, ..] => "zip",
            _ => null,
        };
    }
}
