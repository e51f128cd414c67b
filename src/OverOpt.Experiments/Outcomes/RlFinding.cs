namespace OverOpt.Experiments.Outcomes;

/// <summary>A finding of the paper tested on a run's seed means: whether it holds (null: the run cannot tell) and the numbers behind the verdict.</summary>
public sealed record RlFinding(string Finding, bool? Holds, string Numbers);
