using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

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
        ArgumentOutOfRangeException.ThrowIfNegative(threadsPerJob);
        var failures = new ExceptionDispatchInfo?[jobs.Count];
        void RunJob(int i)
        {
            try
            {
                jobs[i]();
            }
            catch (Exception e)
            {
                failures[i] = ExceptionDispatchInfo.Capture(e);
            }
        }
        if (threadsPerJob == 0)
        {
            for (int i = 0; i < jobs.Count; i++)
            {
                RunJob(i);
            }
        }
        else
        {
            TorchRuntime.EnsureLoaded();
            int next = -1;
            int workers = Math.Clamp(threadBudget / threadsPerJob, 1, Math.Max(1, jobs.Count));
            int callerThreads = get_num_threads();
            var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
            {
                TorchRuntime.SetThreads(threadsPerJob);
                for (int i = Interlocked.Increment(ref next); i < jobs.Count; i = Interlocked.Increment(ref next))
                {
                    RunOwningItsTensors(() => RunJob(i));
                }
            })
            { IsBackground = true, Name = "torch-job" }).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            // The workers' set_num_threads also wrote libtorch's process-wide default; the caller's count is put back.
            TorchRuntime.SetThreads(callerThreads);
        }
        failures.FirstOrDefault(f => f is not null)?.Throw();
    }

    /// <summary>
    /// Runs <paramref name="job"/> in a dispose scope that owns, until the job ends, every tensor the job makes outside
    /// scopes of its own, and then lets them go (detached, not disposed: a result may hold them). While other jobs
    /// allocate, a collection can come at any moment, and TorchSharp hands a temporary tensor's handle to libtorch
    /// without keeping the tensor alive: left unowned, the finalizer could free it mid-call.
    /// </summary>
    private static void RunOwningItsTensors(Action job)
    {
        var owner = NewDisposeScope();
        try
        {
            job();
        }
        finally
        {
            owner.Detach(owner.DisposablesView.ToList());
            owner.Dispose();
        }
    }
}
