using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Tests;

[Trait(Speed.Category, Speed.Fast)]
[Collection(LibtorchThreadCountCollection.Name)]
public sealed class TorchJobsTests
{
    [Fact]
    public void JobsRunSideBySideAsTheBudgetHoldsEachAtItsOwnThreadCount()
    {
        // Two jobs that each wait for the other: they finish only if they run at the same time.
        using var both = new Barrier(2);
        var jobs = Enumerable.Range(0, 2).Select(_ => (Func<int>)(() =>
        {
            Assert.True(both.SignalAndWait(TimeSpan.FromSeconds(30)), "the two jobs did not run side by side");
            return get_num_threads();
        })).ToList();

        var threads = TorchJobs.Run(jobs, threadsPerJob: 1, threadBudget: 2);

        Assert.Equal([1, 1], threads);
    }

    [Fact]
    public void ABudgetOfOneRunsTheJobsOneAfterAnotherInTheirOrder()
    {
        int running = 0, most = 0;
        var jobs = Enumerable.Range(0, 4).Select(i => (Func<int>)(() =>
        {
            most = Math.Max(most, Interlocked.Increment(ref running));
            Thread.Sleep(5);
            Interlocked.Decrement(ref running);
            return i;
        })).ToList();

        Assert.Equal([0, 1, 2, 3], TorchJobs.Run(jobs, threadsPerJob: 2, threadBudget: 3));
        Assert.Equal(1, most);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void AFailedJobLetsTheOthersFinishAndTheFirstFailureInJobOrderIsThrown(int threadsPerJob)
    {
        var done = new bool[4];
        var jobs = Enumerable.Range(0, 4).Select(i => (Func<int>)(() =>
        {
            if (i is 1 or 3)
            {
                throw new InvalidOperationException($"job {i}");
            }
            done[i] = true;
            return i;
        })).ToList();

        var failure = Assert.Throws<InvalidOperationException>(() => TorchJobs.Run(jobs, threadsPerJob, threadBudget: 2));

        Assert.Equal("job 1", failure.Message);
        Assert.Equal([true, false, true, false], done);
    }

    [Fact]
    public void TheCallersThreadCountIsKept()
    {
        int before = get_num_threads();
        // A count no job uses (jobs run at 1 here), so that a job's count left behind shows.
        set_num_threads(3);
        try
        {
            TorchJobs.Run([() => 0, () => 1], threadsPerJob: 1, threadBudget: 2);
            Assert.Equal(3, get_num_threads());
        }
        finally
        {
            set_num_threads(before);
        }
    }
}
