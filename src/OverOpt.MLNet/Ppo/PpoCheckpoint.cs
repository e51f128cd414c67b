using System.Text.Json;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Ppo;

/// <summary>
/// A PPO run's checkpoint: policy and value weights, optimizer state, generator state, step, beta, curve and
/// diagnostics so far; one .zip written atomically, so a kill during a write leaves the previous one whole.
/// </summary>
internal static class PpoCheckpoint
{
    private const string Kind = "OverOpt.PpoCheckpoint";
    // 3: the optimizer state is AdamOptimizer's own (step count and moments), no longer TorchSharp's.
    private const int Version = 3;

    public static string PathOf(PpoTrainer.Options options) => Path.Combine(options.CheckpointDirectory!, $"{options.Name}.checkpoint.zip");

    public static void Write(PpoTrainer.Options options, string fingerprint, ActorCritic actorCritic, AdamOptimizer optimizer, Generator generator, PpoTrainer.RunState state)
    {
        Directory.CreateDirectory(options.CheckpointDirectory!);
        using var generatorState = generator.get_state();
        ModelArchive.Write(PathOf(options), Kind, Version, new Dictionary<string, byte[]>
        {
            ["model.bin"] = Bytes(stream => actorCritic.save(stream)),
            ["optimizer.bin"] = Bytes(optimizer.Save),
            ["generator.bin"] = generatorState.data<byte>().ToArray(),
            ["state.json"] = JsonSerializer.SerializeToUtf8Bytes(new Saved(fingerprint, state), ArchiveJson.Options),
        });
    }

    /// <summary>
    /// Restores a checkpoint of the same run (same fingerprint); false when there is none. A checkpoint that cannot be
    /// read (truncated, corrupt, of an older format) is reported through <paramref name="discarded"/>, deleted, and the
    /// run starts afresh, as a cached artifact is rebuilt. One of another run (other options) stops with the fix.
    /// </summary>
    public static bool TryRestore(PpoTrainer.Options options, string fingerprint, ActorCritic actorCritic, AdamOptimizer optimizer, Generator generator,
        PpoTrainer.RunState state, Action<string> discarded)
    {
        string path = options.CheckpointDirectory is null ? "" : PathOf(options);
        if (options.CheckpointDirectory is null || !File.Exists(path))
        {
            return false;
        }
        Saved saved;
        IReadOnlyDictionary<string, byte[]> entries;
        try
        {
            entries = ModelArchive.Read(path, Kind, Version);
            saved = JsonSerializer.Deserialize<Saved>(entries["state.json"], ArchiveJson.Options)
                ?? throw new InvalidDataException("its state is empty.");
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or KeyNotFoundException)
        {
            // The archive's own message names the path again and ends in a fix for a model file; here the fix is done.
            string reason = e.Message.Replace($"{path}: ", "", StringComparison.Ordinal).Split(" Fix:")[0].TrimEnd('.');
            discarded($"{path}: unreadable checkpoint ({reason}); discarded, the run starts again from step 0.");
            File.Delete(path);
            return false;
        }
        if (saved.Fingerprint != fingerprint)
        {
            throw new InvalidDataException(
                $"{path}: a checkpoint of a PPO run with other options (or other prompts, reward, gold or policies). Fix: delete it to start afresh, or rerun with the options that wrote it.");
        }
        using (var weights = new MemoryStream(entries["model.bin"]))
        {
            actorCritic.load(weights);
        }
        using (var moments = new MemoryStream(entries["optimizer.bin"]))
        {
            optimizer.Load(moments);
        }
        using var generatorState = tensor(entries["generator.bin"], ScalarType.Byte);
        generator.set_state(generatorState);
        state.Step = saved.State.Step;
        state.Beta = saved.State.Beta;
        state.Baseline = saved.State.Baseline;
        state.Curve = saved.State.Curve;
        state.Diagnostics = saved.State.Diagnostics;
        return true;
    }

    private static byte[] Bytes(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return stream.ToArray();
    }

    private sealed record Saved(string Fingerprint, PpoTrainer.RunState State);
}
