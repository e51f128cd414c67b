using System.Text.Json;
using System.Text.Json.Nodes;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.MLNet.Artifacts;

namespace OverOpt.Experiments.Sweeps.Execution;

/// <summary>The done marker of a finished task (<c>done.json</c> in its results folder): what ran, where and how long.</summary>
public sealed record SweepTaskRecord
{
    /// <summary>The marker's name in a task's results folder.</summary>
    public const string FileName = OutputFiles.TaskRecord;

    public required int Index { get; init; }

    public required string Hash { get; init; }

    /// <summary>The axes' values, by path.</summary>
    public required Dictionary<string, JsonNode?> Overrides { get; init; }

    public required DateTime StartedUtc { get; init; }

    public required DateTime FinishedUtc { get; init; }

    public required double WallSeconds { get; init; }

    public required string Host { get; init; }

    /// <summary>The marker of a task that has just finished.</summary>
    public static SweepTaskRecord For(SweepTask task, DateTime startedUtc, double wallSeconds) => new()
    {
        Index = task.Index,
        Hash = task.Hash,
        Overrides = task.Overrides.ToDictionary(o => o.Axis.Path.Text, o => o.Value?.DeepClone()),
        StartedUtc = startedUtc,
        FinishedUtc = DateTime.UtcNow,
        WallSeconds = wallSeconds,
        Host = Environment.MachineName,
    };

    /// <summary>Writes the marker atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, ArchiveJson.Options));

    /// <summary>Reads a marker; <see cref="InvalidDataException"/> when it is not one.</summary>
    public static SweepTaskRecord Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<SweepTaskRecord>(File.ReadAllText(path), ArchiveJson.Options)
                ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a sweep task's done marker ({e.Message}).", e);
        }
    }
}
