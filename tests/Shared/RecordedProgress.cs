using OverOpt.MLNet.Runtime;

namespace OverOpt.Testing;

/// <summary>Keeps every progress update in order, on the reporting thread (BCL's Progress&lt;T&gt; would post them to the thread pool).</summary>
public sealed class RecordedProgress : IProgress<ProgressUpdate>
{
    private readonly List<ProgressUpdate> _updates = [];

    /// <summary>The updates of one stage, in the order reported.</summary>
    public ProgressUpdate[] Of(string stage)
    {
        lock (_updates)
        {
            return _updates.Where(u => u.Stage == stage).ToArray();
        }
    }

    public void Report(ProgressUpdate value)
    {
        lock (_updates)
        {
            _updates.Add(value);
        }
    }
}
