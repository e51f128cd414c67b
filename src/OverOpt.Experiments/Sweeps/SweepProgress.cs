using System.Globalization;

namespace OverOpt.Experiments.Sweeps;

/// <summary>
/// The whole sweep's progress as one line: done, running, failed, pending, elapsed time and an estimate of the time
/// left (the mean wall time of the tasks finished in this run, times the tasks left, over the workers).
/// </summary>
public sealed class SweepProgress
{
    private readonly int _workers;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly List<double> _finishedSeconds = [];

    /// <param name="total">Tasks this run accounts for.</param>
    /// <param name="alreadyDone">Of those, done before the run.</param>
    /// <param name="workers">Tasks at once (for the estimate).</param>
    public SweepProgress(int total, int alreadyDone, int workers)
    {
        Total = total;
        Done = alreadyDone;
        _workers = Math.Max(1, workers);
    }

    public int Total { get; }

    public int Done { get; private set; }

    public int Running { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Tasks neither done, running nor failed in this run.</summary>
    public int Pending => Total - Done - Running - Failed;

    /// <summary>A task has started.</summary>
    public void Started() => Running++;

    /// <summary>A task has ended, done or failed, after <paramref name="wallSeconds"/>.</summary>
    public void Finished(bool succeeded, double wallSeconds)
    {
        Running--;
        if (succeeded)
        {
            Done++;
        }
        else
        {
            Failed++;
        }
        _finishedSeconds.Add(wallSeconds);
    }

    /// <summary>The seconds left, or null before any task has finished in this run.</summary>
    public double? EstimatedSecondsLeft
        => _finishedSeconds.Count == 0 ? null : _finishedSeconds.Average() * (Pending + Running) / Math.Min(_workers, Math.Max(1, Pending + Running));

    public override string ToString()
    {
        string eta = EstimatedSecondsLeft is { } left ? $"eta ~{Clock(left)}" : "eta after the first task";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Done}/{Total} done, {Running} running, {Failed} failed, {Pending} pending; {Clock(_clock.Elapsed.TotalSeconds)} elapsed, {(Pending + Running == 0 ? "finished" : eta)}");
    }

    private static string Clock(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss}" : $"{t:m\\:ss}";
    }
}
