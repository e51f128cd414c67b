namespace OverOpt.Experiments.Sweeps.Execution;

/// <summary>What became of one attempt to run a task.</summary>
public enum SweepTaskResult
{
    /// <summary>It ran and its results folder is in place.</summary>
    Completed,

    /// <summary>It was done before; nothing ran.</summary>
    AlreadyDone,

    /// <summary>Another process is running it; nothing ran here.</summary>
    RunningElsewhere,

    /// <summary>It failed; the failure log says why.</summary>
    Failed,
}
