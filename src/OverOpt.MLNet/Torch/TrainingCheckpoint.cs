using System.Text.Json;
using OverOpt.MLNet.Artifacts;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Torch;

/// <summary>
/// A training loop's checkpoint: the weights of its modules, <see cref="AdamOptimizer"/>'s moments and a small state
/// (the step, running losses, a log), one .zip written atomically so that a kill during a write leaves the previous
/// one whole. The loop's random draws are not saved: it replays them up to the saved step, which costs microseconds
/// and keeps a resumed run equal to an uninterrupted one.
/// </summary>
internal static class TrainingCheckpoint
{
    private const int Version = 1;

    /// <summary>Writes the checkpoint of the run named by <paramref name="fingerprint"/> to <paramref name="path"/>.</summary>
    public static void Write<TState>(string path, string kind, string fingerprint, IReadOnlyList<nn.Module> modules, AdamOptimizer optimizer, TState state)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var entries = new Dictionary<string, byte[]>
        {
            ["optimizer.bin"] = Bytes(optimizer.Save),
            ["state.json"] = JsonSerializer.SerializeToUtf8Bytes(new Saved<TState>(fingerprint, state), ArchiveJson.Options),
        };
        for (int i = 0; i < modules.Count; i++)
        {
            entries[$"module{i}.bin"] = Bytes(stream => modules[i].save(stream));
        }
        ModelArchive.Write(path, kind, Version, entries);
    }

    /// <summary>
    /// Restores the checkpoint at <paramref name="path"/> into the modules and optimizer and returns its state; null when
    /// there is none or it was discarded (<see cref="Read{TState}"/>).
    /// </summary>
    public static TState? TryRestore<TState>(string path, string kind, string fingerprint, IReadOnlyList<nn.Module> modules, AdamOptimizer optimizer, Action<string> discarded)
        where TState : class
    {
        var moduleEntries = Enumerable.Range(0, modules.Count).Select(i => $"module{i}.bin").ToArray();
        if (Read<TState>(path, kind, Version, fingerprint, [.. moduleEntries, "optimizer.bin"], discarded, "training", "a training run with other options or data") is not { } read)
        {
            return null;
        }
        var (entries, state) = read;
        for (int i = 0; i < modules.Count; i++)
        {
            using var weights = new MemoryStream(entries[moduleEntries[i]]);
            modules[i].load(weights);
        }
        using (var moments = new MemoryStream(entries["optimizer.bin"]))
        {
            optimizer.Load(moments);
        }
        return state;
    }

    /// <summary>
    /// The entries and state of the checkpoint at <paramref name="path"/>; null when there is none. One that cannot be read
    /// (truncated, corrupt, of an older format, or without one of the <paramref name="required"/> entries) is reported through <paramref name="discarded"/> and deleted, and the
    /// <paramref name="run"/> ("the run", "training") starts afresh, as a cached artifact is rebuilt. One of another run
    /// (another fingerprint; <paramref name="otherRun"/> says what it is) stops with the fix, since deleting it could
    /// lose hours of someone's training.
    /// </summary>
    public static (IReadOnlyDictionary<string, byte[]> Entries, TState State)? Read<TState>(string path, string kind, int version, string fingerprint,
        IReadOnlyList<string> required, Action<string> discarded, string run, string otherRun)
        where TState : class
    {
        if (!File.Exists(path))
        {
            return null;
        }
        Saved<TState> saved;
        IReadOnlyDictionary<string, byte[]> entries;
        try
        {
            entries = ModelArchive.Read(path, kind, version);
            saved = JsonSerializer.Deserialize<Saved<TState>>(entries["state.json"], ArchiveJson.Options)
                ?? throw new InvalidDataException("its state is empty.");
            if (saved.State is null)
            {
                throw new InvalidDataException("it lacks its state.");
            }
            if (required.FirstOrDefault(name => !entries.ContainsKey(name)) is { } missing)
            {
                throw new InvalidDataException($"it lacks its entry '{missing}'.");
            }
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or KeyNotFoundException)
        {
            // The archive's own message names the path again and ends in a fix for a model file; here the fix is done.
            string reason = e.Message.Replace($"{path}: ", "", StringComparison.Ordinal).Split(" Fix:")[0].TrimEnd('.');
            discarded($"{path}: unreadable checkpoint ({reason}); discarded, {run} starts again from step 0.");
            File.Delete(path);
            return null;
        }
        if (saved.Fingerprint != fingerprint)
        {
            throw new InvalidDataException($"{path}: a checkpoint of {otherRun}. Fix: delete it to start afresh, or rerun with the options that wrote it.");
        }
        return (entries, saved.State);
    }

    /// <summary>The SHA-256 of a module's saved weights: what a fingerprint records of where training starts.</summary>
    public static string WeightsHash(nn.Module module) => ModelArchive.Sha256(Bytes(stream => module.save(stream)));

    /// <summary>What <paramref name="write"/> writes, as bytes: a module's or an optimizer's entry.</summary>
    internal static byte[] Bytes(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return stream.ToArray();
    }

    /// <summary>The state entry's layout: the run's fingerprint and its state.</summary>
    internal sealed record Saved<TState>(string Fingerprint, TState State);
}
