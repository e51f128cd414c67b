using OverOpt.MLNet.Runtime;

namespace OverOpt.Experiments.Sweeps.Definition;

/// <summary>
/// A sweep: a base pipeline and axes of overrides whose product is a grid of <see cref="SweepTask"/>s (the content of
/// a pipelines/*.json sweep file, loaded by <see cref="SweepLoader"/>).
/// </summary>
public sealed class SweepDefinition
{
    internal SweepDefinition(string name, string file, string baseFile, IReadOnlyList<SweepAxis> axes, IReadOnlyList<SweepTask> tasks, IReadOnlyList<SweepDefinition>? parts = null)
    {
        Name = name;
        File = file;
        BaseFile = baseFile;
        Axes = axes;
        Tasks = tasks;
        Parts = parts ?? [];
    }

    /// <summary>Names the output folder (runs/&lt;name&gt; by default) and the scheduler's jobs.</summary>
    public string Name { get; }

    /// <summary>The sweep file, as a full path.</summary>
    public string File { get; }

    /// <summary>The base pipeline file, as a full path; empty for a sweep of sweeps (each of its <see cref="Parts"/> has its own).</summary>
    public string BaseFile { get; }

    /// <summary>
    /// The axes in the file's order; for a sweep of sweeps, one per path any part sweeps, with every value any part gives
    /// it (a task's <see cref="SweepTask.Overrides"/> has only its own part's axes).
    /// </summary>
    public IReadOnlyList<SweepAxis> Axes { get; }

    /// <summary>The sweeps a sweep of sweeps lists, in its order (their own task indices); empty for a grid.</summary>
    public IReadOnlyList<SweepDefinition> Parts { get; }

    /// <summary>Every task, by index.</summary>
    public IReadOnlyList<SweepTask> Tasks { get; }

    /// <summary>The task of an index; an index outside the grid is a configuration error naming <paramref name="field"/>.</summary>
    public SweepTask Task(int index, string field = "--index")
    {
        if (index < 0 || index >= Tasks.Count)
        {
            throw new OverOptConfigurationException($"task index {index} lies outside the grid, whose tasks are 0 to {Tasks.Count - 1}.", field,
                $"use an index from 0 to {Tasks.Count - 1} ('overopt sweep plan' lists them).", File);
        }
        return Tasks[index];
    }
}
