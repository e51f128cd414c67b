namespace OverOpt.MLNet.Ppo;

/// <summary>One optimizer step's diagnostics, written to the run's ppo-&lt;proxy&gt;.csv.</summary>
public sealed record PpoDiagnostics(
    int Step, double Beta, double LearningRate, double MeanScore, double KlExact, double KlK1, double KlK3, double Entropy,
    double PolicyLoss, double ValueLoss, double ClipFraction, double ApproxKlOld, double ExplainedVariance);
