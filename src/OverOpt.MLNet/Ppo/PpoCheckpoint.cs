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
            ["model.bin"] = TrainingCheckpoint.Bytes(stream => actorCritic.save(stream)),
            ["optimizer.bin"] = TrainingCheckpoint.Bytes(optimizer.Save),
            ["generator.bin"] = generatorState.data<byte>().ToArray(),
            ["state.json"] = JsonSerializer.SerializeToUtf8Bytes(new TrainingCheckpoint.Saved<PpoTrainer.RunState>(fingerprint, state), ArchiveJson.Options),
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
        if (options.CheckpointDirectory is null
            || TrainingCheckpoint.Read<PpoTrainer.RunState>(PathOf(options), Kind, Version, fingerprint, ["model.bin", "optimizer.bin", "generator.bin"], discarded, "the run",
                "a PPO run with other options (or other prompts, reward, gold or policies)") is not { } read)
        {
            return false;
        }
        var (entries, saved) = read;
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
        state.Step = saved.Step;
        state.Beta = saved.Beta;
        state.Baseline = saved.Baseline;
        state.Curve = saved.Curve;
        state.Diagnostics = saved.Diagnostics;
        return true;
    }
}
