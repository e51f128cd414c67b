using System.Text;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Sampling;

namespace OverOpt.Experiments.Pipelines;

/// <summary>
/// Best-of-n's samples of a policy and their gold scores as a cached artifact: every task of a sweep that shares the
/// policy, gold, the held-out prompts and the pipeline seed (e.g. tasks that differ only in the proxy, its seed or the
/// comparisons) draws the same N samples per prompt, so the sampling and the gold scoring, most of best-of-n's time,
/// are done once. Loaded, they are the very samples and scores a fresh run would compute (same generator seed), so a
/// run's curves do not depend on whether they came from the cache.
/// </summary>
internal sealed class CachedBestOfNSamples : IDisposable
{
    private const string ArchiveKind = "OverOpt.BestOfNSamples";
    private const int FormatVersion = 1;
    private const string RowsEntry = "OverOpt/samples.bin";
    private const string KeyEntry = "OverOpt/key.txt";

    public CachedBestOfNSamples(string key, IReadOnlyList<PolicySample> samples, float[] gold)
    {
        if (samples.Count != gold.Length)
        {
            throw new ArgumentException($"{samples.Count} samples but {gold.Length} gold scores.", nameof(gold));
        }
        Key = key;
        Samples = samples;
        Gold = gold;
    }

    public string Key { get; }

    public IReadOnlyList<PolicySample> Samples { get; }

    /// <summary>Gold's score of each sample, in the samples' order.</summary>
    public float[] Gold { get; }

    public void Save(string path)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Samples.Count);
            for (int i = 0; i < Samples.Count; i++)
            {
                var s = Samples[i];
                Write(writer, s.Prompt);
                Write(writer, s.Response);
                Write(writer, s.LogProbs);
                Write(writer, s.ReferenceLogProbs);
                Write(writer, s.TokenKl);
                writer.Write(Gold[i]);
            }
        }
        ModelArchive.Write(path, ArchiveKind, FormatVersion, new Dictionary<string, byte[]>
        {
            [RowsEntry] = buffer.ToArray(),
            [KeyEntry] = Encoding.UTF8.GetBytes(Key),
        });
    }

    /// <exception cref="InvalidDataException">The file is corrupt or of another format.</exception>
    public static CachedBestOfNSamples Load(string path)
    {
        var entries = ModelArchive.Read(path, ArchiveKind, FormatVersion);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(entries[RowsEntry]), Encoding.UTF8);
            int count = reader.ReadInt32();
            var samples = new PolicySample[count];
            var gold = new float[count];
            for (int i = 0; i < count; i++)
            {
                samples[i] = new PolicySample(ReadInts(reader), ReadInts(reader), ReadFloats(reader), ReadFloats(reader), ReadFloats(reader));
                gold[i] = reader.ReadSingle();
            }
            return new CachedBestOfNSamples(Encoding.UTF8.GetString(entries[KeyEntry]), samples, gold);
        }
        catch (Exception e) when (e is EndOfStreamException or KeyNotFoundException or OverflowException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: the best-of-n samples are unreadable ({e.Message}).", e);
        }
    }

    public void Dispose()
    {
    }

    private static void Write(BinaryWriter writer, int[] values)
    {
        writer.Write(values.Length);
        foreach (int v in values)
        {
            writer.Write(v);
        }
    }

    private static void Write(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        foreach (float v in values)
        {
            writer.Write(v);
        }
    }

    private static int[] ReadInts(BinaryReader reader)
    {
        var values = new int[reader.ReadInt32()];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadInt32();
        }
        return values;
    }

    private static float[] ReadFloats(BinaryReader reader)
    {
        var values = new float[reader.ReadInt32()];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadSingle();
        }
        return values;
    }
}
