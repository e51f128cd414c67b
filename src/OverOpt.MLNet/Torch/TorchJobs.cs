namespace OverOpt.MLNet.Torch;

/// <summary>
/// Runs independent libtorch jobs (PPO runs on several seeds, say) each at a fixed number of intra-op threads, as many
/// at once as a thread budget holds. A job's numbers depend on its own thread count only, never on the machine's cores
/// or on how many ran beside it, so a 2-core laptop, a 64-core node and a 1-thread sweep task reproduce one another.
/// The small models here are bound by per-operation overhead: two 1-thread jobs side by side finish sooner than the
/// same two one after another at 2 threads. Side by side, a garbage collection can come while any job is inside
/// libtorch, so nothing a job passes to libtorch may be left to the finalizer (<see cref="TensorMath"/>, and the scope
/// each job runs in).
/// </summary>
public static class TorchJobs
{
    /// <summary>
    /// Runs every job and returns their results in the jobs' order. With <paramref name="threadsPerJob"/> above 0 each
    /// job runs on a dedicated thread set to that many libtorch threads (libtorch's thread count is per calling thread
    /// for OpenMP and MKL), <paramref name="threadBudget"/> / <paramref name="threadsPerJob"/> at once (at least one);
    /// 0 runs them one after another on the calling thread at its own thread count. When jobs fail, the others still
    /// run to the end (their files stay written) and the first failure in job order is rethrown.
    /// </summary>
    public static IReadOnlyList<T> Run<T>(IReadOnlyList<Func<T>> jobs, int threadsPerJob, int threadBudget)
    {
        var results = new T[jobs.Count];
        Run(jobs.Select((job, i) => (Action)(() => results[i] = job())).ToList(), threadsPerJob, threadBudget);
        return results;
    }

    /// <summary>As <see cref="Run{T}"/>, for jobs of different kinds that keep their own results.</summary>
    public static void Run(IReadOnlyList<Action> jobs, int threadsPerJob, int threadBudget)
    {
        var graph = new TorchJobGraph();
        for (int i = 0; i < jobs.Count; i++)
        {
            graph.Add($"job {i}", jobs[i]);
        }
        graph.Run(threadsPerJob, threadBudget);
    }
}
