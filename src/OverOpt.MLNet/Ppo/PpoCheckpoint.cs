using System.Text.Json;
using OverOpt.MLNet.Artifacts;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Ppo;

/// <summary>
/// A PPO run's checkpoint: policy and value weights, optimizer state, generator state, step, beta, curve and
/// diagnostics so far; one .zip written atomically, so a kill during a write leaves the previous one whole.
/// </summary>
internal static class PpoCheckpoint
{
    private const string Kind = "OverOpt.PpoCheckpoint";
    private const int Version = 2;

    public static string PathOf(PpoTrainer.Options options) => Path.Combine(options.CheckpointDirectory!, $"{options.Name}.checkpoint.zip");

    public static void Write(PpoTrainer.Options options, string fingerprint, ActorCritic actorCritic, OptimizerHelper optimizer, Generator generator, PpoTrainer.RunState state)
    {
        string folder = options.CheckpointDirectory!;
        Directory.CreateDirectory(folder);
        using var generatorState = generator.get_state();
        ModelArchive.Write(PathOf(options), Kind, Version, new Dictionary<string, byte[]>
        {
            ["model.bin"] = Bytes(stream => actorCritic.save(stream)),
            ["optimizer.bin"] = OptimizerBytes(optimizer, folder),
            ["generator.bin"] = generatorState.data<byte>().ToArray(),
            ["state.json"] = JsonSerializer.SerializeToUtf8Bytes(new Saved(fingerprint, state), ArchiveJson.Options),
        });
    }

    /// <summary>Restores a checkpoint of the same run (same fingerprint); false when there is none or it belongs to another run.</summary>
    public static bool TryRestore(PpoTrainer.Options options, string fingerprint, ActorCritic actorCritic, OptimizerHelper optimizer, Generator generator, PpoTrainer.RunState state)
    {
        if (options.CheckpointDirectory is null || !File.Exists(PathOf(options)))
        {
            return false;
        }
        var entries = ModelArchive.Read(PathOf(options), Kind, Version);
        var saved = JsonSerializer.Deserialize<Saved>(entries["state.json"], ArchiveJson.Options)!;
        if (saved.Fingerprint != fingerprint)
        {
            throw new InvalidDataException(
                $"{PathOf(options)}: a checkpoint of a PPO run with other options (or other prompts, reward, gold or policies). Fix: delete it to start afresh, or rerun with the options that wrote it.");
        }
        using (var weights = new MemoryStream(entries["model.bin"]))
        {
            actorCritic.load(weights);
        }
        string temporary = Path.Combine(options.CheckpointDirectory, $"optimizer.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, entries["optimizer.bin"]);
            optimizer.load_state_dict(temporary);
        }
        finally
        {
            File.Delete(temporary);
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

    private static byte[] OptimizerBytes(OptimizerHelper optimizer, string folder)
    {
        // TorchSharp saves optimizer state to a path only.
        string temporary = Path.Combine(folder, $"optimizer.{Guid.NewGuid():N}.tmp");
        try
        {
            optimizer.save_state_dict(temporary);
            return File.ReadAllBytes(temporary);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private sealed record Saved(string Fingerprint, PpoTrainer.RunState State);
}
