namespace OverOpt.Experiments.Outcomes;

/// <summary>A pretrained policy of a run.</summary>
public sealed record PolicyResult(
    string Name, string Shape, long Parameters, double InitialValidationLoss, double ValidationLoss, double TrainingSeconds, bool FromCache, string Artifact);
