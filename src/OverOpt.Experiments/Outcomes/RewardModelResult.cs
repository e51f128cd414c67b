namespace OverOpt.Experiments.Outcomes;

/// <summary>A reward model of a run.</summary>
public sealed record RewardModelResult(
    string Policy, string Name, string Kind, long Parameters, int TrainingComparisons, double ValidationLoss, double ValidationAccuracy, bool FromCache,
    IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The seed a transformer proxy was trained with (the pipeline's proxySeed, else its seed); null for gold and FastTree.</summary>
    public int? ProxySeed { get; init; }
}
