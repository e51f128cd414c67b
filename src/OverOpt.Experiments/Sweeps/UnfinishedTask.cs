namespace OverOpt.Experiments.Sweeps;

/// <summary>A task the merge could not include.</summary>
public sealed record UnfinishedTask(SweepTask Task, SweepTaskStatus Status, string? LogPath, string RerunCommand);
