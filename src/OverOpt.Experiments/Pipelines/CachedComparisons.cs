using System.Text;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Comparisons;

namespace OverOpt.Experiments.Pipelines;

/// <summary>
/// Labelled comparisons as a cached artifact, so a rerun whose proxies are cached does not sample and label them
/// again: the rows (token ids, gold scores, flips) and the key they were built from, in a verified archive.
/// </summary>
internal sealed class CachedComparisons : IDisposable
{
    private const string ArchiveKind = "OverOpt.Comparisons";
    private const int FormatVersion = 1;
    private const string RowsEntry = "OverOpt/comparisons.bin";
    private const string KeyEntry = "OverOpt/key.txt";

    public CachedComparisons(string key, IReadOnlyList<ComparisonRow> rows)
    {
        Key = key;
        Rows = rows;
    }

    public string Key { get; }

    public IReadOnlyList<ComparisonRow> Rows { get; }

    public void Save(string path)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Rows.Count);
            foreach (var row in Rows)
            {
                WriteIds(writer, row.PromptTokens);
                WriteIds(writer, row.ChosenTokens);
                WriteIds(writer, row.RejectedTokens);
                writer.Write(row.ChosenGold);
                writer.Write(row.RejectedGold);
                writer.Write(row.Flipped);
            }
        }
        ModelArchive.Write(path, ArchiveKind, FormatVersion, new Dictionary<string, byte[]>
        {
            [RowsEntry] = buffer.ToArray(),
            [KeyEntry] = Encoding.UTF8.GetBytes(Key),
        });
    }

    /// <exception cref="InvalidDataException">The file is corrupt or of another format.</exception>
    public static CachedComparisons Load(string path)
    {
        var entries = ModelArchive.Read(path, ArchiveKind, FormatVersion);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(entries[RowsEntry]), Encoding.UTF8);
            var rows = new ComparisonRow[reader.ReadInt32()];
            for (int i = 0; i < rows.Length; i++)
            {
                rows[i] = new ComparisonRow
                {
                    PromptTokens = ReadIds(reader), ChosenTokens = ReadIds(reader), RejectedTokens = ReadIds(reader),
                    ChosenGold = reader.ReadSingle(), RejectedGold = reader.ReadSingle(), Flipped = reader.ReadBoolean(),
                };
            }
            return new CachedComparisons(Encoding.UTF8.GetString(entries[KeyEntry]), rows);
        }
        catch (Exception e) when (e is EndOfStreamException or KeyNotFoundException or OverflowException)
        {
            throw new InvalidDataException($"{path}: the comparisons are unreadable ({e.Message}).", e);
        }
    }

    public void Dispose()
    {
    }

    private static void WriteIds(BinaryWriter writer, int[] ids)
    {
        writer.Write(ids.Length);
        foreach (int id in ids)
        {
            writer.Write(id);
        }
    }

    private static int[] ReadIds(BinaryReader reader)
    {
        var ids = new int[reader.ReadInt32()];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = reader.ReadInt32();
        }
        return ids;
    }
}
