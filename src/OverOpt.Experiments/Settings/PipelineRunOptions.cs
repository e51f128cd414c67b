using OverOpt.MLNet.Runtime;
using static TorchSharp.torch;

namespace OverOpt.Experiments.Settings;

/// <summary>Where and how a pipeline runs; none of it changes the numbers except the device and thread count.</summary>
public sealed class PipelineRunOptions
{
    /// <summary>Results folder; defaults to runs/&lt;pipeline name&gt;.</summary>
    public string? OutputDirectory { get; set; }

    /// <summary>Artifact cache folder.</summary>
    public string CacheDirectory { get; set; } = Path.Combine(".cache", "overopt");

    public Device Device { get; set; } = CPU;

    public IProgress<ProgressUpdate>? Progress { get; set; }

    /// <summary>Lines for the person watching (what was cached, what was written).</summary>
    public Action<string> Log { get; set; } = _ => { };
}
