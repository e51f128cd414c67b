using OverOpt.Experiments.Sweeps.Execution;

namespace OverOpt.Experiments.Tests;

/// <summary>
/// The sweep's estimate of the time left: a task is expected to take as long as the finished tasks of its own part of a
/// sweep of sweeps, not the mean over every part (where seconds-long tasks would hide minutes-long ones).
/// </summary>
[Trait(Speed.Category, Speed.Fast)]
public sealed class SweepProgressTests
{
    [Fact]
    public void EachPendingTaskIsExpectedToTakeAsLongAsTheFinishedTasksOfItsPart()
    {
        var progress = new SweepProgress(total: 6, alreadyDone: 0, workers: 1, ["fast", "fast", "fast", "slow", "slow", "slow"]);
        Assert.Null(progress.EstimatedSecondsLeft);
        foreach (var (index, kind, seconds) in new[] { (0, "fast", 10.0), (1, "fast", 20.0), (3, "slow", 300.0) })
        {
            progress.Started(index, kind);
            progress.Finished(index, succeeded: true, seconds);
        }

        // Left: one fast task (mean 15 s) and two slow ones (300 s each), one at a time; the mean over all parts
        // (110 s) would say 330 s.
        Assert.Equal(615, progress.EstimatedSecondsLeft!.Value, 6);
        Assert.Equal((3, 0, 3), (progress.Done, progress.Running, progress.Pending));

        // A part with no task done yet is expected to take the mean over all; two workers share the work.
        var mixed = new SweepProgress(total: 4, alreadyDone: 0, workers: 2, ["a", "a", "b", "b"]);
        mixed.Started(0, "a");
        mixed.Finished(0, succeeded: true, 40);
        Assert.Equal(60, mixed.EstimatedSecondsLeft!.Value, 6);
        Assert.Equal(1, mixed.Done);
    }

    [Fact]
    public void AFailedTaskSaysNothingOfHowLongTheOthersTake()
    {
        // A worker that fails at its start (a folder it cannot write) ends in a second; the tasks left take minutes.
        var progress = new SweepProgress(total: 3, alreadyDone: 0, workers: 1, ["", "", ""]);
        progress.Started(0, null);
        progress.Finished(0, succeeded: false, 1);
        Assert.Null(progress.EstimatedSecondsLeft);
        Assert.EndsWith("eta once a task is done", progress.ToString());

        progress.Started(1, null);
        progress.Finished(1, succeeded: true, 600);
        Assert.Equal(600, progress.EstimatedSecondsLeft!.Value, 6);
        Assert.Equal((1, 1, 1), (progress.Done, progress.Failed, progress.Pending));
    }

    [Fact]
    public void ATaskLeftToAnotherProcessLeavesTheTotalAndIsNeitherDoneNorFailed()
    {
        var progress = new SweepProgress(total: 3, alreadyDone: 0, workers: 1, ["", "", ""]);
        progress.Started(0, null);
        progress.LeftToAnotherProcess(0);

        Assert.Equal((2, 0, 0, 0, 2), (progress.Total, progress.Done, progress.Failed, progress.Running, progress.Pending));
        Assert.StartsWith("0/2 done, 0 running, 0 failed, 2 pending", progress.ToString());
    }
}
