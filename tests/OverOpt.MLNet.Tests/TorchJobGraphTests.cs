using System.Collections.Concurrent;
using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Tests;

[Trait(Speed.Category, Speed.Fast)]
[Collection(LibtorchThreadCountCollection.Name)]
public sealed class TorchJobGraphTests
{
    [Fact]
    public void AJobStartsOnlyAfterItsPrerequisitesFinishedAndAFreeWorkerTakesWhatIsReady()
    {
        // Job 0 is slow; job 1 waits for it; job 2 waits for nothing. With two workers the second must take job 2 while
        // job 1 waits, although job 1 comes first in the order added.
        var events = new ConcurrentQueue<string>();
        using var releaseSlow = new ManualResetEventSlim();
        var graph = new TorchJobGraph();
        int slow = graph.Add("slow", () =>
        {
            events.Enqueue("start 0");
            Assert.True(releaseSlow.Wait(TimeSpan.FromSeconds(30)), "job 2 never ran beside job 0");
            events.Enqueue("end 0");
        });
        graph.Add("after slow", () => events.Enqueue("start 1"), slow);
        graph.Add("independent", () =>
        {
            events.Enqueue("start 2");
            releaseSlow.Set();
        });

        graph.Run(threadsPerJob: 1, threadBudget: 2);

        var order = events.ToList();
        Assert.True(order.IndexOf("end 0") < order.IndexOf("start 1"), string.Join(", ", order));
        Assert.True(order.IndexOf("start 2") < order.IndexOf("end 0"), string.Join(", ", order));
        var timings = graph.Timings.Select(t => t!).ToArray();
        Assert.Equal(["slow", "after slow", "independent"], timings.Select(t => t.Name));
        Assert.True(timings[1].Started >= timings[0].Finished);
        Assert.NotEqual(timings[0].Worker, timings[2].Worker);
    }

    [Fact]
    public void OneWorkerRunsTheReadyJobsInTheOrderAdded()
    {
        var order = new List<int>();
        var graph = new TorchJobGraph();
        int first = graph.Add("0", () => order.Add(0));
        graph.Add("1", () => order.Add(1));
        graph.Add("2", () => order.Add(2), first);
        graph.Add("3", () => order.Add(3));

        graph.Run(threadsPerJob: 2, threadBudget: 3);

        Assert.Equal([0, 1, 2, 3], order);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void AFailedJobsDependantsAreSkippedTheRestRunAndItsFailureIsThrown(int threadsPerJob)
    {
        var ran = new ConcurrentBag<string>();
        var graph = new TorchJobGraph();
        int failing = graph.Add("failing", () => throw new InvalidOperationException("job 0"));
        int dependant = graph.Add("dependant", () => ran.Add("dependant"), failing);
        graph.Add("its dependant", () => ran.Add("its dependant"), dependant);
        graph.Add("independent", () => ran.Add("independent"));
        graph.Add("failing too", () => throw new InvalidOperationException("job 4"));

        var failure = Assert.Throws<InvalidOperationException>(() => graph.Run(threadsPerJob, threadBudget: 2));

        Assert.Equal("job 0", failure.Message);
        Assert.Equal(["independent"], ran.ToArray());
        Assert.Equal([true, false, false, true, true], graph.Timings.Select(t => t is not null));
    }

    [Fact]
    public void AThreadThatStartsLibtorchWorkWhileJobsRunTakesTheCallersThreadCountNotTheJobs()
    {
        int before = get_num_threads();
        // A count the jobs (1 thread each) do not use, so that theirs reaching the rest of the process shows.
        set_num_threads(3);
        try
        {
            int seen = 0;
            var graph = new TorchJobGraph();
            graph.Add("starts a thread of its own", () =>
            {
                // A thread's first libtorch operation takes the process-wide count: what a test or pipeline running
                // beside the jobs on a thread of its own would get.
                var elsewhere = new Thread(() =>
                {
                    using var x = randn(64, 64);
                    using var y = x.matmul(x);
                    seen = get_num_threads();
                });
                elsewhere.Start();
                elsewhere.Join();
            });

            graph.Run(threadsPerJob: 1, threadBudget: 2);

            Assert.Equal(3, seen);
            Assert.Equal(3, get_num_threads());
        }
        finally
        {
            set_num_threads(before);
        }
    }

    [Fact]
    public void AJobCanOnlyWaitForOneAddedBeforeIt()
    {
        var graph = new TorchJobGraph();
        int first = graph.Add("first", () => { });

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => graph.Add("second", () => { }, first + 1));

        Assert.Contains("added before it", error.Message);
        Assert.Equal(1, graph.Count);
    }
}
