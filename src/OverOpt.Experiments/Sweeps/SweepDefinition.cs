using OverOpt.MLNet.Runtime;

namespace OverOpt.Experiments.Sweeps;

/// <summary>
/// A sweep: a base pipeline and axes of overrides whose product is a grid of <see cref="SweepTask"/>s (the content of
/// a pipelines/*.json sweep file, loaded by <see cref="SweepLoader"/>).
/// </summary>
public sealed class SweepDefinition
{
    internal SweepDefinition(string name, string file, string baseFile, IReadOnlyList<SweepAxis> axes, IReadOnlyList<SweepTask> tasks)
    {
        Name = name;
        File = file;
        BaseFile = baseFile;
        Axes = axes;
        Tasks = tasks;
    }

    /// <summary>Names the output folder (runs/&lt;name&gt; by default) and the scheduler's jobs.</summary>
    public string Name { get; }

    /// <summary>The sweep file, as a full path.</summary>
    public string File { get; }

    /// <summary>The base pipeline file, as a full path.</summary>
    public string BaseFile { get; }

    /// <summary>The axes in the file's order.</summary>
    public IReadOnlyList<SweepAxis> Axes { get; }

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
