namespace OverOpt.Experiments.Outcomes;

/// <summary>A response with its proxy, gold and rule scores (standardized), for reports.</summary>
internal sealed record ScoredResponse(int[] Prompt, int[] Response, double Proxy, double Gold, double Rule);
