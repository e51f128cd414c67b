using System.Diagnostics;
using System.Globalization;
using OverOpt.Experiments.Reporting;

namespace OverOpt.Experiments.Sweeps.Execution;

/// <summary>
/// The whole sweep's progress as one line: done, running, failed, pending, elapsed time and an estimate of the time
/// left. A task is expected to take the mean wall time of the tasks of its kind (its part of a sweep of sweeps) done in
/// this run, or of all tasks done where none of its kind is; a running task is expected to need that less what it has
/// already run. Kinds matter because one sweep of sweeps mixes tasks of seconds with tasks of minutes; a failed task
/// does not count, since one that fails at its start says nothing of how long the work takes.
/// </summary>
public sealed class SweepProgress
{
    private readonly int _workers;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Kind, double Seconds)> _done = [];
    private readonly Dictionary<int, (string Kind, TimeSpan Start)> _running = [];
    private readonly Dictionary<string, int> _pending = new(StringComparer.Ordinal);

    /// <param name="total">Tasks this run accounts for.</param>
    /// <param name="alreadyDone">Of those, done before the run.</param>
    /// <param name="workers">Tasks at once (for the estimate).</param>
    /// <param name="toRun">The kinds of the tasks to run, one entry a task (null: a sweep that is not a sweep of sweeps).</param>
    public SweepProgress(int total, int alreadyDone, int workers, IEnumerable<string?> toRun)
    {
        Total = total;
        Done = alreadyDone;
        _workers = Math.Max(1, workers);
        foreach (string? kind in toRun)
        {
            _pending[kind ?? ""] = _pending.GetValueOrDefault(kind ?? "") + 1;
        }
    }

    public int Total { get; private set; }

    public int Done { get; private set; }

    public int Running => _running.Count;

    public int Failed { get; private set; }

    /// <summary>Tasks neither done, running nor failed in this run.</summary>
    public int Pending => _pending.Values.Sum();

    /// <summary>Task <paramref name="index"/> of kind <paramref name="kind"/> has started.</summary>
    public void Started(int index, string? kind)
    {
        string k = kind ?? "";
        if (_pending.TryGetValue(k, out int left) && left > 0)
        {
            _pending[k] = left - 1;
        }
        _running[index] = (k, _clock.Elapsed);
    }

    /// <summary>Task <paramref name="index"/> has ended, done or failed, after <paramref name="wallSeconds"/>.</summary>
    public void Finished(int index, bool succeeded, double wallSeconds)
    {
        string kind = _running.Remove(index, out var run) ? run.Kind : "";
        if (succeeded)
        {
            Done++;
            _done.Add((kind, wallSeconds));
        }
        else
        {
            Failed++;
        }
    }

    /// <summary>Task <paramref name="index"/> turned out to be running in another process: this run no longer accounts for it.</summary>
    public void LeftToAnotherProcess(int index)
    {
        _running.Remove(index);
        Total--;
    }

    /// <summary>The seconds left, or null before any task is done in this run.</summary>
    public double? EstimatedSecondsLeft
    {
        get
        {
            if (_done.Count == 0)
            {
                return null;
            }
            double all = _done.Average(f => f.Seconds);
            double Expected(string kind) => _done.Where(f => f.Kind == kind).Select(f => f.Seconds).DefaultIfEmpty(all).Average();
            double now = _clock.Elapsed.TotalSeconds;
            double work = _pending.Sum(p => p.Value * Expected(p.Key))
                + _running.Values.Sum(r => Math.Max(0, Expected(r.Kind) - (now - r.Start.TotalSeconds)));
            int tasks = Pending + Running;
            return work / Math.Min(_workers, Math.Max(1, tasks));
        }
    }

    public override string ToString()
    {
        string eta = EstimatedSecondsLeft is { } left ? $"eta ~{ClockText.Of(left)}" : "eta once a task is done";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Done}/{Total} done, {Running} running, {Failed} failed, {Pending} pending; {ClockText.Of(_clock.Elapsed.TotalSeconds)} elapsed, {(Pending + Running == 0 ? "finished" : eta)}");
    }
}
