using System.Diagnostics;
using System.Globalization;
using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Experiments.Sweeps.Schedulers;

/// <summary>
/// Runs a sweep's unfinished tasks on this machine with a pool of worker processes (one task each, so a task's
/// threads, memory and native state die with it). Done tasks are skipped, failed ones are run again, a task that
/// another process runs is left to it. Tasks start groups in turn (<see cref="SweepTaskOrder"/>), so that a worker does
/// not wait on the lock of what another builds for its group. A worker that dies without a failure log of its own
/// (killed, out of memory) gets one written from its last output lines. A worker that finds its task taken since the pool listed it (exit code
/// <see cref="SweepTaskRunner.RunningElsewhereExitCode"/>) leaves it to that process, as a task running at the start is.
/// </summary>
public sealed class LocalSweepScheduler
{
    private readonly SweepLayout _layout;
    private readonly LocalSweepOptions _options;

    /// <param name="layout">Where the tasks write (the workers must use the same).</param>
    /// <param name="options">Workers, how to start one, where progress goes.</param>
    public LocalSweepScheduler(SweepLayout layout, LocalSweepOptions options)
    {
        if (options.Workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Workers, "At least one worker.");
        }
        _layout = layout;
        _options = options;
    }

    /// <summary>The outcome: tasks run now, done before, failed (with their logs) and left to another process.</summary>
    public sealed record Result(int Completed, int AlreadyDone, IReadOnlyList<(SweepTask Task, string Log)> Failures, IReadOnlyList<SweepTask> RunningElsewhere);

    /// <summary>Runs every task that is not done and not running elsewhere; returns when all have finished (cancelled: the workers are killed).</summary>
    public Result Run(SweepDefinition sweep, CancellationToken cancellation = default)
    {
        var pending = new List<SweepTask>();
        var elsewhere = new List<SweepTask>();
        int alreadyDone = 0;
        foreach (var task in sweep.Tasks)
        {
            switch (_layout.StatusOf(task))
            {
                case SweepTaskStatus.Done:
                    alreadyDone++;
                    break;
                case SweepTaskStatus.Running:
                    elsewhere.Add(task);
                    break;
                default:
                    pending.Add(task);
                    break;
            }
        }
        var queue = new Queue<SweepTask>(SweepTaskOrder.GroupsInTurn(sweep, pending));
        var progress = new SweepProgress(sweep.Tasks.Count - elsewhere.Count, alreadyDone, _options.Workers, queue.Select(t => t.Part));
        _options.Report($"{queue.Count} task(s) to run, {alreadyDone} done before{(elsewhere.Count > 0 ? $", {elsewhere.Count} running in another process (left to it)" : "")}; {_options.Workers} worker(s)");
        var running = new List<Worker>();
        var failures = new List<(SweepTask, string)>();
        int completed = 0;
        var lastReport = Stopwatch.StartNew();
        try
        {
            while (queue.Count > 0 || running.Count > 0)
            {
                cancellation.ThrowIfCancellationRequested();
                bool changed = false;
                while (running.Count < _options.Workers && queue.Count > 0)
                {
                    var task = queue.Dequeue();
                    running.Add(Worker.Start(task, _options.StartWorker(task), _options.TailLines));
                    progress.Started(task.Index, task.Part);
                    _options.Report($"task {task.Index} started ({task.Label})");
                    changed = true;
                }
                foreach (var worker in running.Where(w => w.Process.HasExited).ToList())
                {
                    worker.Process.WaitForExit(); // drains the output readers
                    running.Remove(worker);
                    double seconds = worker.Clock.Elapsed.TotalSeconds;
                    bool done = File.Exists(_layout.DoneMarker(worker.Task));
                    if (!done && worker.Process.ExitCode == SweepTaskRunner.RunningElsewhereExitCode)
                    {
                        // Started by hand or by another pool after this one listed it: that process finishes it.
                        elsewhere.Add(worker.Task);
                        progress.LeftToAnotherProcess(worker.Task.Index);
                        _options.Report($"task {worker.Task.Index} is running in another process (left to it)");
                    }
                    else if (done)
                    {
                        progress.Finished(worker.Task.Index, succeeded: true, seconds);
                        completed++;
                        _options.Report(string.Create(CultureInfo.InvariantCulture, $"task {worker.Task.Index} done in {seconds:F1} s"));
                    }
                    else
                    {
                        progress.Finished(worker.Task.Index, succeeded: false, seconds);
                        string log = EnsureFailureLog(worker);
                        failures.Add((worker.Task, log));
                        _options.Report($"task {worker.Task.Index} FAILED (exit code {worker.Process.ExitCode}); log: {log}");
                    }
                    worker.Process.Dispose();
                    changed = true;
                }
                if (changed || lastReport.Elapsed >= _options.ProgressInterval)
                {
                    _options.Report($"sweep: {progress}");
                    lastReport.Restart();
                }
                if (!changed)
                {
                    cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
                }
            }
        }
        finally
        {
            foreach (var worker in running)
            {
                // Cancelled: stop the workers we started (their tasks stay pending and rerun later).
                worker.Process.Kill(entireProcessTree: true);
                worker.Process.Dispose();
            }
        }
        return new Result(completed, alreadyDone, failures, elsewhere);
    }

    /// <summary>
    /// The failed worker's log: its own, or one written here from its last output lines. Where that cannot be written
    /// (the sweep folder turned read-only or full), the returned text says so and carries those lines itself, so the
    /// worker's real reason is never hidden behind the scheduler's own failure.
    /// </summary>
    private string EnsureFailureLog(Worker worker)
    {
        string path = _layout.FailureLog(worker.Task);
        string text = $"task {worker.Task.Index} ({worker.Task.Label}): the worker exited with code {worker.Process.ExitCode} without a log of its own; its last output:\n{worker.Tail()}";
        try
        {
            // The worker's own log is newer than its start when it failed in the ordinary way.
            if (!File.Exists(path) || File.GetLastWriteTimeUtc(path) < worker.StartedUtc)
            {
                AtomicFile.WriteAllText(path, text);
            }
            return path;
        }
        catch (Exception e) when (FileSystemProblem.Is(e))
        {
            return $"(not written: {FileSystemProblem.Explain(e)})\n{text}";
        }
    }

    private sealed class Worker
    {
        private readonly Queue<string> _tail = new();
        private readonly int _tailLines;

        private Worker(SweepTask task, Process process, int tailLines)
        {
            Task = task;
            Process = process;
            _tailLines = tailLines;
        }

        public SweepTask Task { get; }

        public Process Process { get; }

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public DateTime StartedUtc { get; } = DateTime.UtcNow.AddSeconds(-1);

        public static Worker Start(SweepTask task, ProcessStartInfo start, int tailLines)
        {
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            start.UseShellExecute = false;
            var process = new Process { StartInfo = start };
            var worker = new Worker(task, process, tailLines);
            process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
            process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return worker;
        }

        public string Tail()
        {
            lock (_tail)
            {
                return string.Join('\n', _tail);
            }
        }

        private void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_tail)
            {
                _tail.Enqueue(line);
                while (_tail.Count > _tailLines)
                {
                    _tail.Dequeue();
                }
            }
        }
    }
}
