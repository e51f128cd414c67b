namespace OverOpt.Experiments.Outcomes;

/// <summary>What best-of-n left for the report: the samples, their gold scores and every proxy's curve.</summary>
internal sealed record BestOfNOutcome(IReadOnlyList<OverOpt.MLNet.Sampling.PolicySample> Samples, float[] GoldScores, IReadOnlyList<ProxyCurve> Curves);
