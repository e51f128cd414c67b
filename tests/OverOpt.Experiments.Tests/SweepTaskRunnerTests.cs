using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;
using OverOpt.MLNet.Artifacts;

namespace OverOpt.Experiments.Tests;

/// <summary>What a task runner does before it runs anything: done tasks and tasks another process holds are left alone.</summary>
[Trait(Speed.Category, Speed.Fast)]
public sealed class SweepTaskRunnerTests : IDisposable
{
    private readonly SweepTestFiles _files = new();

    [Fact]
    public void ATaskAnotherProcessHoldsIsNotRunAndADoneTaskIsNotRunAgain()
    {
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "seed": [1, 2] }"""));
        var layout = new SweepLayout(_files.Output);
        var runner = new SweepTaskRunner(layout, new SweepTaskRunOptions { CacheDirectory = _files.Cache });
        Directory.CreateDirectory(layout.TaskDirectory(sweep.Tasks[1]));
        SweepTaskRecord.For(sweep.Tasks[1], DateTime.UtcNow, 1).Save(layout.DoneMarker(sweep.Tasks[1]));

        SweepTaskOutcome held;
        using (FileLock.TryAcquire(layout.LockFile(sweep.Tasks[0])))
        {
            held = runner.Run(sweep.Tasks[0]);
        }
        var done = runner.Run(sweep.Tasks[1]);

        Assert.Equal(SweepTaskResult.RunningElsewhere, held.Result);
        Assert.Contains("fuser", held.Error);
        Assert.False(Directory.Exists(layout.PartialDirectory(sweep.Tasks[0])));
        Assert.Equal((SweepTaskResult.AlreadyDone, layout.TaskDirectory(sweep.Tasks[1])), (done.Result, done.Output));
        Assert.False(Directory.Exists(layout.PartialDirectory(sweep.Tasks[1])));
    }

    public void Dispose() => _files.Dispose();
}
