namespace OverOpt.MLNet.BestOfN;

/// <summary>How one score column was normalized before evaluation: value' = (value - Mean) / StandardDeviation.</summary>
/// <param name="Column">The score column.</param>
/// <param name="Mean">The mean over prompts of each prompt's mean score: the base policy's expected score, and so the gold at n = 1.</param>
/// <param name="StandardDeviation">Sample standard deviation over all evaluated samples; 1 where the column is constant (nothing to scale).</param>
public sealed record ScoreNormalization(string Column, double Mean, double StandardDeviation);
