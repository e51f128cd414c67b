using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Pipelines;
using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.MLNet.Artifacts;

namespace OverOpt.Experiments.Sweeps.Execution;

/// <summary>
/// Runs one task of a sweep into its results folder (see <see cref="SweepLayout"/>): skipped when done, refused
/// when another process holds it, written into <c>.partial</c> and renamed with its done marker when it succeeds,
/// logged to <c>tasks/&lt;id&gt;.log</c> when it fails. Any exception of the pipeline is a failure of the task,
/// never of the caller, so a pool of workers goes on with the other tasks.
/// </summary>
public sealed class SweepTaskRunner
{
    /// <summary>
    /// The exit code of a worker process that found its task running in another process (its lock held): neither done
    /// nor failed here, so a pool leaves the task to that process instead of counting a failure.
    /// </summary>
    public const int RunningElsewhereExitCode = 3;

    private readonly SweepLayout _layout;
    private readonly SweepTaskRunOptions _options;

    /// <param name="layout">Where the sweep's tasks write.</param>
    /// <param name="options">The shared cache, the device, progress and log.</param>
    public SweepTaskRunner(SweepLayout layout, SweepTaskRunOptions options)
    {
        _layout = layout;
        _options = options;
    }

    /// <summary>Runs the task unless it is done or running elsewhere; never throws for the pipeline's errors (they make it Failed).</summary>
    public SweepTaskOutcome Run(SweepTask task)
    {
        string final = _layout.TaskDirectory(task);
        if (File.Exists(_layout.DoneMarker(task)))
        {
            return new SweepTaskOutcome(SweepTaskResult.AlreadyDone, 0, final);
        }
        using var taskLock = TakeLock(task);
        if (taskLock is null)
        {
            return new SweepTaskOutcome(SweepTaskResult.RunningElsewhere, 0, _layout.PartialDirectory(task),
                $"another process holds {_layout.LockFile(task)} (find it with 'fuser {_layout.LockFile(task)}').");
        }
        if (File.Exists(_layout.DoneMarker(task)))
        {
            return new SweepTaskOutcome(SweepTaskResult.AlreadyDone, 0, final);
        }

        string partial = _layout.PartialDirectory(task);
        Directory.CreateDirectory(partial);
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        using var log = new StreamWriter(Path.Combine(partial, OutputFiles.TaskLog), append: true) { AutoFlush = true };
        void Log(string line)
        {
            // A pipeline's jobs (proxies, PPO runs) log from several threads at once.
            lock (log)
            {
                log.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");
            }
            _options.Log(line);
        }
        Log($"task {task.Index} ({task.Label}), hash {task.Hash}, on {Environment.MachineName}, pid {Environment.ProcessId}, started {started:u}");
        try
        {
            AtomicFile.WriteAllText(Path.Combine(partial, "pipeline.json"), CanonicalJson.ToNode(task.Pipeline).ToJsonString(ArchiveJson.Options));
            new PipelineRunner(new MLContext(task.Pipeline.Seed)).Run(task.Pipeline, _options.ForPipeline(partial, Log));
            double seconds = clock.Elapsed.TotalSeconds;
            SweepTaskRecord.For(task, started, seconds).Save(Path.Combine(partial, SweepTaskRecord.FileName));
            Log(string.Create(CultureInfo.InvariantCulture, $"done in {seconds:F1} s"));
            log.Close();
            if (Directory.Exists(final))
            {
                // A results folder without its marker is not a result (someone removed done.json): replace it.
                Directory.Delete(final, recursive: true);
            }
            Directory.Move(partial, final);
            File.Delete(_layout.FailureLog(task));
            return new SweepTaskOutcome(SweepTaskResult.Completed, seconds, final);
        }
        catch (Exception e)
        {
            double seconds = clock.Elapsed.TotalSeconds;
            string detail = e is OverOpt.MLNet.Runtime.OverOptConfigurationException or InvalidDataException ? e.Message : e.ToString();
            Log(string.Create(CultureInfo.InvariantCulture, $"FAILED after {seconds:F1} s: {detail}"));
            log.Close();
            // The log of the whole attempt, beside the results folder; .partial stays so a rerun can resume from it.
            AtomicFile.WriteAllText(_layout.FailureLog(task), File.ReadAllText(Path.Combine(partial, OutputFiles.TaskLog)));
            return new SweepTaskOutcome(SweepTaskResult.Failed, seconds, _layout.FailureLog(task), e.Message);
        }
    }

    /// <summary>
    /// The task's lock, or null when another process runs the task. It waits a moment first: 'sweep plan' and
    /// 'sweep merge' probe the locks (take and release them at once), which must not turn a starting task away.
    /// </summary>
    private FileLock? TakeLock(SweepTask task)
    {
        try
        {
            return FileLock.Acquire(_layout.LockFile(task), TimeSpan.FromSeconds(3));
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
