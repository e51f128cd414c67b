using System.Diagnostics;
using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;
using OverOpt.Experiments.Sweeps.Schedulers;

namespace OverOpt.Experiments.Tests;

/// <summary>
/// How the local pool reads its workers' ends, with shell commands standing in for <c>overopt sweep task</c>: a task
/// found running in another process after the pool listed it is left to that process, not counted a failure.
/// </summary>
[Trait(Speed.Category, Speed.Fast)]
public sealed class LocalSweepSchedulerTests : IDisposable
{
    private readonly SweepTestFiles _files = new();

    [Fact]
    public void ATaskTakenByAnotherProcessAfterTheListingIsLeftToItAndOnlyARealFailureCounts()
    {
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "seed": [1, 2, 3] }"""));
        var layout = new SweepLayout(_files.Output);
        var lines = new List<string>();
        var scheduler = new LocalSweepScheduler(layout, new LocalSweepOptions
        {
            Workers = 1,
            Report = lines.Add,
            StartWorker = task =>
            {
                // Task 0: its lock is held elsewhere; task 1: it fails; task 2: it finishes (writes its done marker).
                string script = task.Index switch
                {
                    0 => $"exit {SweepTaskRunner.RunningElsewhereExitCode}",
                    1 => "echo boom >&2; exit 1",
                    _ => $"mkdir -p '{layout.TaskDirectory(task)}' && touch '{layout.DoneMarker(task)}'",
                };
                return new ProcessStartInfo("sh") { ArgumentList = { "-c", script } };
            },
        });

        var result = scheduler.Run(sweep);

        Assert.Equal([0], result.RunningElsewhere.Select(t => t.Index));
        Assert.Equal([1], result.Failures.Select(f => f.Task.Index));
        Assert.Equal((1, 0), (result.Completed, result.AlreadyDone));
        Assert.Contains(lines, l => l == "task 0 is running in another process (left to it)");
        Assert.DoesNotContain(lines, l => l.StartsWith("task 0 FAILED", StringComparison.Ordinal));
        Assert.False(File.Exists(layout.FailureLog(sweep.Tasks[0])));
        Assert.StartsWith("sweep: 1/2 done, 0 running, 1 failed, 0 pending", lines[^1]);
    }

    [Fact]
    public void TasksStartGroupsInTurnSoThatASecondWorkerDoesNotWaitOnTheFirstTasksBuildOfTheirGroup()
    {
        // Groups by pipeline seed (the proxy seed does not split one): tasks 0-2 share seed 1, tasks 3-5 seed 2.
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "seed": [1, 2], "proxySeed": [1, 2, 3] }"""));
        var layout = new SweepLayout(_files.Output);
        Directory.CreateDirectory(layout.TaskDirectory(sweep.Tasks[0]));
        File.WriteAllText(layout.DoneMarker(sweep.Tasks[0]), "");
        var started = new List<int>();
        var scheduler = new LocalSweepScheduler(layout, new LocalSweepOptions
        {
            Workers = 2,
            StartWorker = task =>
            {
                started.Add(task.Index);
                return new ProcessStartInfo("sh") { ArgumentList = { "-c", $"mkdir -p '{layout.TaskDirectory(task)}' && touch '{layout.DoneMarker(task)}'" } };
            },
        });

        var result = scheduler.Run(sweep);

        Assert.Equal([[0, 1, 2], [3, 4, 5]], SweepPreparation.Groups(sweep).Select(g => g.Tasks.Select(t => t.Index).ToArray()));
        Assert.Equal([1, 3, 2, 4, 5], started);
        Assert.Equal((5, 1), (result.Completed, result.AlreadyDone));
    }

    public void Dispose() => _files.Dispose();
}
