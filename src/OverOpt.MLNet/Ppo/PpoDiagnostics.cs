namespace OverOpt.MLNet.Ppo;

/// <summary>
/// One optimizer step's diagnostics, written to the run's ppo-&lt;proxy&gt;.csv. <see cref="DistinctResponses"/> is the
/// share of distinct responses in the rollout batch: it falls towards 1/batch when the policy collapses onto a few strings.
/// </summary>
public sealed record PpoDiagnostics(
    int Step, double Beta, double LearningRate, double MeanScore, double KlExact, double KlK1, double KlK3, double Entropy,
    double PolicyLoss, double ValueLoss, double KlLoss, double ClipFraction, double ApproxKlOld, double ExplainedVariance, double DistinctResponses);
