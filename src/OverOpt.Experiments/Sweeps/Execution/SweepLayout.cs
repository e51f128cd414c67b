using OverOpt.Experiments.Files;
using OverOpt.Experiments.Sweeps.Definition;
namespace OverOpt.Experiments.Sweeps.Execution;

/// <summary>
/// Where a sweep keeps its results. Every task writes into <c>tasks/&lt;index&gt;-&lt;hash&gt;.partial/</c> and, when it
/// has finished, puts the done marker (<c>done.json</c>) in it and renames it to <c>tasks/&lt;index&gt;-&lt;hash&gt;/</c>,
/// so a results folder is always whole; a killed task leaves only its <c>.partial</c> folder, which its rerun reuses
/// (PPO resumes from the checkpoints in it). A failed task leaves <c>tasks/&lt;index&gt;-&lt;hash&gt;.log</c>.
/// </summary>
public sealed class SweepLayout
{
    /// <param name="root">The sweep's output folder (made absolute).</param>
    public SweepLayout(string root)
    {
        Root = Path.GetFullPath(root);
    }

    /// <summary>The sweep's output folder.</summary>
    public string Root { get; }

    /// <summary>The output folder of a sweep: <paramref name="outputDirectory"/> or runs/&lt;sweep name&gt;.</summary>
    public static SweepLayout For(SweepDefinition sweep, string? outputDirectory) => new(outputDirectory ?? Path.Combine("runs", sweep.Name));

    /// <summary>Every task's folder, log and lock.</summary>
    public string TasksDirectory => Path.Combine(Root, "tasks");

    /// <summary>The finished task's results (with done.json).</summary>
    public string TaskDirectory(SweepTask task) => Path.Combine(TasksDirectory, task.Id);

    /// <summary>Where a task writes while it runs.</summary>
    public string PartialDirectory(SweepTask task) => Path.Combine(TasksDirectory, task.Id + ".partial");

    /// <summary>The log of the task's last failed run.</summary>
    public string FailureLog(SweepTask task) => Path.Combine(TasksDirectory, task.Id + ".log");

    /// <summary>Held while a process runs the task (see <see cref="OverOpt.MLNet.Artifacts.FileLock"/>).</summary>
    public string LockFile(SweepTask task) => Path.Combine(TasksDirectory, task.Id + ".lock");

    /// <summary>The marker whose presence makes a task done.</summary>
    public string DoneMarker(SweepTask task) => Path.Combine(TaskDirectory(task), SweepTaskRecord.FileName);

    /// <summary>The merged results (SQLite).</summary>
    public string DatabasePath => Path.Combine(Root, OutputFiles.SweepDatabase);

    /// <summary>The report drawn from the database.</summary>
    public string ReportPath => Path.Combine(Root, OutputFiles.SweepReport);

    /// <summary>Outputs of <c>overopt sweep prepare</c>, a folder per group of tasks that share policies and gold.</summary>
    public string PrepareDirectory => Path.Combine(Root, "prepare");

    /// <summary>Scheduler logs (Slurm's job output files).</summary>
    public string SchedulerLogDirectory => Path.Combine(Root, "logs");

    /// <summary>Done if its marker exists, else running if its lock is held, else failed if its failure log exists, else pending.</summary>
    public SweepTaskStatus StatusOf(SweepTask task)
    {
        if (File.Exists(DoneMarker(task)))
        {
            return SweepTaskStatus.Done;
        }
        if (OverOpt.MLNet.Artifacts.FileLock.IsHeld(LockFile(task)))
        {
            return SweepTaskStatus.Running;
        }
        return File.Exists(FailureLog(task)) ? SweepTaskStatus.Failed : SweepTaskStatus.Pending;
    }
}
