using System.Diagnostics;
using OverOpt.Experiments.Reporting;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Cli;

/// <summary>
/// Progress lines on standard error, at most one a second per stage (plus the last), with an ETA. Each run of a stage
/// has its own clock: a stage that starts again under the same name (a second sampling pass) restarts it.
/// </summary>
internal sealed class ConsoleProgress : IProgress<ProgressUpdate>
{
    private readonly Dictionary<string, (Stopwatch Clock, double LastPrinted, long LastDone, bool Finished)> _stages = [];

    private readonly object _gate = new();

    /// <summary>Reports may come from several threads at once (PPO runs side by side).</summary>
    public void Report(ProgressUpdate value)
    {
        lock (_gate)
        {
            ReportLocked(value);
        }
    }

    private void ReportLocked(ProgressUpdate value)
    {
        if (!_stages.TryGetValue(value.Stage, out var stage) || stage.Finished || value.Done < stage.LastDone)
        {
            stage = (Stopwatch.StartNew(), double.NegativeInfinity, 0, false);
        }
        double now = stage.Clock.Elapsed.TotalSeconds;
        bool last = value.Done >= value.Total;
        if (!last && now - stage.LastPrinted < 1.0 && value.Done > 0)
        {
            _stages[value.Stage] = stage with { LastDone = value.Done };
            return;
        }
        _stages[value.Stage] = (stage.Clock, now, value.Done, last);
        double fraction = value.Total > 0 ? (double)value.Done / value.Total : 1;
        string eta = value.Done > 0 && !last ? $", eta {ClockText.Of(now / fraction - now)}" : "";
        string detail = value.Detail is null ? "" : $"  {value.Detail}";
        Console.Error.WriteLine($"[{value.Stage}] {value.Done}/{value.Total} ({fraction:P0}, {now:F0}s{eta}){detail}");
    }
}
