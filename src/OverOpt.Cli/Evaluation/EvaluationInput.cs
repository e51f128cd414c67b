using OverOpt.MLNet.BestOfN;

namespace OverOpt.Cli.Evaluation;

/// <summary>Where the evaluated samples came from and how they were read, for the report.</summary>
internal sealed record EvaluationInput(string Path, string? Table, BestOfNEvaluationOptions Options);
