namespace OverOpt.Experiments.Sweeps.Execution;

/// <summary>Where a task stands, as its files on disk say (see <see cref="SweepLayout.StatusOf"/>).</summary>
public enum SweepTaskStatus
{
    /// <summary>Not run yet, or interrupted before it finished (killed, out of time): it runs again.</summary>
    Pending,

    /// <summary>A process holds the task's lock now.</summary>
    Running,

    /// <summary>Its last run failed; the failure log says why. It runs again when asked.</summary>
    Failed,

    /// <summary>Its results folder holds the done marker.</summary>
    Done,
}
