namespace OverOpt.Experiments.Sweeps.Execution;

/// <summary>The result of <see cref="SweepTaskRunner.Run"/>.</summary>
/// <param name="Result">What happened.</param>
/// <param name="WallSeconds">How long this attempt took (0 when nothing ran).</param>
/// <param name="Output">The results folder (Completed, AlreadyDone) or the failure log (Failed).</param>
/// <param name="Error">The error's message when it failed.</param>
public sealed record SweepTaskOutcome(SweepTaskResult Result, double WallSeconds, string Output, string? Error = null);
