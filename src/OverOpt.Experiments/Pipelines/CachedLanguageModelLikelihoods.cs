using System.Runtime.InteropServices;
using System.Text;
using OverOpt.MLNet.Artifacts;

namespace OverOpt.Experiments.Pipelines;

/// <summary>
/// A frozen language model's log-likelihood of each of best-of-n's samples, as a cached artifact. Reward models that read
/// their language model's likelihood keep a frozen copy of the model they were pretrained from, which every proxy seed
/// and comparison count of one shape shares: the sweeps' tasks score the same samples with it again and again, and that
/// pass (a projection onto the whole vocabulary and its softmax) is most of a small proxy's scoring. Loaded, they are
/// the very floats a proxy would compute (the same batches, threads and kernels), so the scores do not depend on
/// whether they came from the cache.
/// </summary>
internal sealed class CachedLanguageModelLikelihoods : IDisposable
{
    private const string ArchiveKind = "OverOpt.LanguageModelLikelihoods";
    private const int FormatVersion = 1;
    private const string ValuesEntry = "OverOpt/likelihoods.bin";
    private const string KeyEntry = "OverOpt/key.txt";

    public CachedLanguageModelLikelihoods(string key, float[] values)
    {
        Key = key;
        Values = values;
    }

    public string Key { get; }

    /// <summary>One log-likelihood per sample, in the samples' order.</summary>
    public float[] Values { get; }

    public void Save(string path) => ModelArchive.Write(path, ArchiveKind, FormatVersion, new Dictionary<string, byte[]>
    {
        [ValuesEntry] = MemoryMarshal.AsBytes(Values.AsSpan()).ToArray(),
        [KeyEntry] = Encoding.UTF8.GetBytes(Key),
    });

    /// <exception cref="InvalidDataException">The file is corrupt or of another format.</exception>
    public static CachedLanguageModelLikelihoods Load(string path)
    {
        var entries = ModelArchive.Read(path, ArchiveKind, FormatVersion);
        if (!entries.TryGetValue(ValuesEntry, out var bytes) || !entries.TryGetValue(KeyEntry, out var key) || bytes.Length % sizeof(float) != 0)
        {
            throw new InvalidDataException($"{path}: the language model's likelihoods are unreadable (an entry is missing or cut short).");
        }
        return new CachedLanguageModelLikelihoods(Encoding.UTF8.GetString(key), MemoryMarshal.Cast<byte, float>(bytes).ToArray());
    }

    /// <summary>Holds no native memory; the cache disposes what it rejects.</summary>
    public void Dispose()
    {
    }
}
