using OverOpt.MLNet.Runtime;
using static TorchSharp.torch;

namespace OverOpt.Experiments.Sweeps.Execution;

/// <summary>How a sweep's tasks run on this process; like <see cref="Settings.PipelineRunOptions"/>, none of it changes the numbers except the device and thread count.</summary>
public sealed class SweepTaskRunOptions
{
    /// <summary>The artifact cache every task shares (policies, gold and proxies are built once, under a lock).</summary>
    public string CacheDirectory { get; set; } = Path.Combine(".cache", "overopt");

    /// <summary>Where the tasks compute.</summary>
    public Device Device { get; set; } = CPU;

    /// <summary>Progress of each stage of a task.</summary>
    public IProgress<ProgressUpdate>? Progress { get; set; }

    /// <summary>Lines for the person watching; every line also goes to the task's log file.</summary>
    public Action<string> Log { get; set; } = _ => { };

    /// <summary>The options of one pipeline run into <paramref name="outputDirectory"/>, its lines to <paramref name="log"/> (default: <see cref="Log"/>).</summary>
    public Settings.PipelineRunOptions ForPipeline(string outputDirectory, Action<string>? log = null) => new()
    {
        OutputDirectory = outputDirectory,
        CacheDirectory = CacheDirectory,
        Device = Device,
        Progress = Progress,
        Log = log ?? Log,
    };
}
