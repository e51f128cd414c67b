using OverOpt.Experiments.Sweeps.Execution;
namespace OverOpt.Experiments.Sweeps.Storage;

/// <summary>What <see cref="SweepDatabase.Merge"/> wrote and what it could not include.</summary>
public sealed record SweepMergeResult
{
    /// <summary>The database written.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>Tasks in the database.</summary>
    public required int Done { get; init; }

    /// <summary>Rows written per table (runs, curve_points, fits, reward_models).</summary>
    public required IReadOnlyDictionary<string, int> RowCounts { get; init; }

    /// <summary>Tasks that are not done (failed, pending or running), with their log (null when there is none) and the command that reruns each.</summary>
    public required IReadOnlyList<UnfinishedTask> Unfinished { get; init; }

    /// <summary>Whether every task is in the database.</summary>
    public bool Complete => Unfinished.Count == 0;
}
