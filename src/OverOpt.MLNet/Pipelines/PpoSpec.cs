namespace OverOpt.MLNet.Pipelines;

/// <summary>PPO runs of a pipeline: pi_init optimized against each named proxy, gold measured at every evaluation.</summary>
public sealed class PpoSpec
{
    /// <summary>Names of proxies (from <c>proxies</c>) to optimize against, one run each.</summary>
    public List<string> Proxies { get; set; } = [];

    public int Steps { get; set; } = 150;

    public int BatchSize { get; set; } = 64;

    public int PpoEpochs { get; set; } = 4;

    public int MiniBatches { get; set; } = 4;

    public double LearningRate { get; set; } = 3e-4;

    /// <summary>beta; 0 is the paper's default.</summary>
    public double KlCoefficient { get; set; }

    /// <summary>Adaptive KL controller target (nats per response); null keeps beta fixed.</summary>
    public double? AdaptiveKlTarget { get; set; }

    public double ClipRange { get; set; } = 0.2;

    public double ValueCoefficient { get; set; } = 0.1;

    public int EvaluationInterval { get; set; } = 10;

    public int EvaluationSamples { get; set; } = 256;
}
