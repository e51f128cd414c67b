namespace OverOpt.Experiments.Pipelines;

/// <summary>
/// One proxy reward model. <c>kind</c> "transformer" uses layers, modelDim, heads, epochs, batchSize, learningRate;
/// <c>kind</c> "fasttree" uses trees, leaves, ngramLength.
/// </summary>
public sealed class ProxySpec
{
    public string Name { get; set; } = "proxy";

    /// <summary>"transformer" or "fasttree".</summary>
    public string Kind { get; set; } = "transformer";

    public int Layers { get; set; } = 2;

    public int ModelDim { get; set; } = 32;

    public int Heads { get; set; } = 4;

    public int Epochs { get; set; } = 4;

    public int BatchSize { get; set; } = 64;

    public double LearningRate { get; set; } = 2e-3;

    /// <summary>Transformers: start from a language model of the same shape pretrained on the corpus (cached), as the paper's reward models do.</summary>
    public bool Pretrained { get; set; } = true;

    public int Trees { get; set; } = 100;

    public int Leaves { get; set; } = 20;

    public int NgramLength { get; set; } = 2;
}
