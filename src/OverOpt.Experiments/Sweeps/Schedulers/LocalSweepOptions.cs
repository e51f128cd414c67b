using System.Diagnostics;
using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;

namespace OverOpt.Experiments.Sweeps.Schedulers;

/// <summary>Options of <see cref="LocalSweepScheduler"/>.</summary>
public sealed class LocalSweepOptions
{
    /// <summary>Worker processes at once.</summary>
    public int Workers { get; set; } = 1;

    /// <summary>
    /// The process that runs one task (the CLI's <c>overopt sweep task FILE --index I</c>); it must run the task with
    /// <see cref="SweepTaskRunner"/>, so that its results and failure log are where <see cref="SweepLayout"/> says.
    /// </summary>
    public required Func<SweepTask, ProcessStartInfo> StartWorker { get; set; }

    /// <summary>Lines for the person watching: a task started, finished or failed, and the sweep's progress.</summary>
    public Action<string> Report { get; set; } = _ => { };

    /// <summary>Progress is also reported this often while nothing changes.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lines of a worker's output kept to show when it fails without a log of its own.</summary>
    public int TailLines { get; set; } = 40;
}
