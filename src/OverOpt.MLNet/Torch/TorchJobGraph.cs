using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Torch;

/// <summary>
/// libtorch jobs that wait for others (a proxy's PPO runs for the proxy, its best-of-n scores for the proxy and the
/// samples), run as <see cref="TorchJobs"/> runs independent ones: each at a fixed number of intra-op threads, as many
/// at once as a thread budget holds. A free worker takes the first job, in the order they were added, whose
/// prerequisites have finished, so the order added is the priority: the caller puts what the longest chain waits for
/// first. A job's numbers depend on its own thread count only, never on when it ran or beside what.
/// </summary>
public sealed class TorchJobGraph
{
    private readonly List<(string Name, Action Work, int[] After)> _jobs = [];
    private TorchJobTiming?[] _timings = [];

    /// <summary>The number of jobs added.</summary>
    public int Count => _jobs.Count;

    /// <summary>
    /// When each job of the last <see cref="Run"/> started and finished on which worker, in the order added (null for a
    /// job skipped because a prerequisite failed): where a run's wall time went, and what its longest chain was.
    /// </summary>
    public IReadOnlyList<TorchJobTiming?> Timings => _timings;

    /// <summary>
    /// Adds <paramref name="work"/>, named <paramref name="name"/>, to run after the jobs <paramref name="after"/> (ids
    /// returned by earlier calls, so that the order added is one the jobs can run in, one after another); returns its id.
    /// </summary>
    public int Add(string name, Action work, params IEnumerable<int> after)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(work);
        var prerequisites = after.Distinct().ToArray();
        foreach (int id in prerequisites)
        {
            if (id < 0 || id >= _jobs.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(after), id, $"A job can only wait for a job added before it (ids 0 to {_jobs.Count - 1}).");
            }
        }
        _jobs.Add((name, work, prerequisites));
        return _jobs.Count - 1;
    }

    /// <summary>
    /// Runs every job. With <paramref name="threadsPerJob"/> above 0 each job runs on a dedicated thread set to that many
    /// libtorch threads, <paramref name="threadBudget"/> / <paramref name="threadsPerJob"/> at once (at least one); 0 runs
    /// them in the order added on the calling thread at its own thread count. A failed job's dependants are skipped; the
    /// others still run to the end (their files stay written) and the first failure in the order added is rethrown.
    /// </summary>
    public void Run(int threadsPerJob, int threadBudget)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threadsPerJob);
        var state = new JobStates(_jobs.Select(j => j.After).ToArray());
        _timings = new TorchJobTiming?[_jobs.Count];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // One worker's loop: on the calling thread (every earlier job is then done or failed, so it never waits and keeps
        // the order added), or on a dedicated thread that owns what its jobs leave to the finalizer.
        void Work(int worker, bool ownTensors)
        {
            for (int i = state.TakeNext(); i >= 0; i = state.TakeNext())
            {
                double started = clock.Elapsed.TotalSeconds;
                ExceptionDispatchInfo? failure = null;
                if (ownTensors)
                {
                    RunOwningItsTensors(() => failure = Attempt(i));
                }
                else
                {
                    failure = Attempt(i);
                }
                _timings[i] = new TorchJobTiming(_jobs[i].Name, worker, started, clock.Elapsed.TotalSeconds);
                state.Finish(i, failure);
            }
        }
        if (threadsPerJob == 0)
        {
            Work(0, ownTensors: false);
        }
        else
        {
            TorchRuntime.EnsureLoaded();
            int workers = Math.Clamp(threadBudget / threadsPerJob, 1, Math.Max(1, _jobs.Count));
            int callerThreads = get_num_threads();
            // set_num_threads sets the calling thread's count and also the process-wide one that any thread adopts at its
            // first libtorch operation. Each worker keeps its own once set, so the caller puts the process-wide count back
            // before any job starts: a thread elsewhere that starts libtorch work while the jobs run (another test, a
            // user's other pipeline) takes the caller's count, not the jobs'.
            using var set = new CountdownEvent(workers);
            using var restored = new ManualResetEventSlim();
            var threads = Enumerable.Range(0, workers).Select(worker => new Thread(() =>
            {
                try
                {
                    TorchRuntime.SetThreads(threadsPerJob);
                }
                finally
                {
                    set.Signal();
                }
                restored.Wait();
                Work(worker, ownTensors: true);
            })
            { IsBackground = true, Name = "torch-job" }).ToList();
            threads.ForEach(t => t.Start());
            set.Wait();
            TorchRuntime.SetThreads(callerThreads);
            restored.Set();
            threads.ForEach(t => t.Join());
        }
        state.FirstFailure?.Throw();
    }

    private ExceptionDispatchInfo? Attempt(int i)
    {
        try
        {
            _jobs[i].Work();
            return null;
        }
        catch (Exception e)
        {
            return ExceptionDispatchInfo.Capture(e);
        }
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

    /// <summary>Which jobs wait, run, finished or failed (a skipped job counts as failed, without a failure of its own), under one lock.</summary>
    private sealed class JobStates(int[][] after)
    {
        private enum State { Waiting, Running, Done, Failed }

        private readonly State[] _states = new State[after.Length];
        private readonly ExceptionDispatchInfo?[] _failures = new ExceptionDispatchInfo?[after.Length];
        private readonly object _gate = new();

        public ExceptionDispatchInfo? FirstFailure => _failures.FirstOrDefault(f => f is not null);

        /// <summary>The first waiting job whose prerequisites are done, marked running; waits while none is ready but some run; -1 when none is left.</summary>
        public int TakeNext()
        {
            lock (_gate)
            {
                while (true)
                {
                    bool waiting = false;
                    for (int i = 0; i < _states.Length; i++)
                    {
                        if (_states[i] != State.Waiting)
                        {
                            continue;
                        }
                        if (after[i].Any(p => _states[p] == State.Failed))
                        {
                            _states[i] = State.Failed;
                            continue;
                        }
                        if (after[i].All(p => _states[p] == State.Done))
                        {
                            _states[i] = State.Running;
                            return i;
                        }
                        waiting = true;
                    }
                    if (!waiting)
                    {
                        return -1;
                    }
                    Monitor.Wait(_gate);
                }
            }
        }

        public void Finish(int i, ExceptionDispatchInfo? failure)
        {
            lock (_gate)
            {
                _states[i] = failure is null ? State.Done : State.Failed;
                _failures[i] = failure;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
