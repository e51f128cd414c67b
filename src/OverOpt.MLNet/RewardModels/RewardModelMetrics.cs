namespace OverOpt.MLNet.RewardModels;

/// <summary>How well scores order labelled comparisons: what <c>mlContext.RewardModels().Evaluate</c> returns.</summary>
public sealed record RewardModelMetrics
{
    /// <summary>Comparisons evaluated (groups of two rows).</summary>
    public int Comparisons { get; init; }

    /// <summary>Share of comparisons whose chosen response scores higher (ties count half); 0.5 is chance.</summary>
    public double PairwiseAccuracy { get; init; }

    /// <summary>
    /// Mean Bradley-Terry loss -log sigmoid(t * (s_chosen - s_rejected)) at the temperature t that minimizes it on these
    /// comparisons (<see cref="Temperature"/>), as the paper rescales logits before comparing validation losses: it
    /// makes losses of differently scaled (e.g. normalized, or FastTree and transformer) scores comparable. ln 2 is chance.
    /// </summary>
    public double BradleyTerryLoss { get; init; }

    /// <summary>The same loss of the scores as they are (t = 1).</summary>
    public double UnscaledBradleyTerryLoss { get; init; }

    /// <summary>The loss-minimizing scale of the score differences.</summary>
    public double Temperature { get; init; }
}
