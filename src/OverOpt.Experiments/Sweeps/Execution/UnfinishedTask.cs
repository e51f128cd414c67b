using OverOpt.Experiments.Sweeps.Definition;
namespace OverOpt.Experiments.Sweeps.Execution;

/// <summary>A task the merge could not include.</summary>
public sealed record UnfinishedTask(SweepTask Task, SweepTaskStatus Status, string? LogPath, string RerunCommand);
