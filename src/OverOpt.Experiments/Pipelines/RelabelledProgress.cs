using OverOpt.MLNet.Runtime;

namespace OverOpt.Experiments.Pipelines;

/// <summary>
/// Passes progress on with its stage renamed, on the caller's thread (BCL's Progress&lt;T&gt; would post to the thread
/// pool and reorder lines).
/// </summary>
internal sealed class RelabelledProgress(IProgress<ProgressUpdate> inner, Func<string, string> stage) : IProgress<ProgressUpdate>
{
    public void Report(ProgressUpdate value) => inner.Report(value with { Stage = stage(value.Stage) });

    public static IProgress<ProgressUpdate>? Wrap(IProgress<ProgressUpdate>? inner, Func<string, string> stage)
        => inner is null ? null : new RelabelledProgress(inner, stage);
}
