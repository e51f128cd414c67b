using OverOpt.MLNet.Trainers;

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

    public int Layers { get; set; } = TransformerRewardTrainer.Defaults.Layers;

    public int ModelDim { get; set; } = TransformerRewardTrainer.Defaults.ModelDim;

    public int Heads { get; set; } = TransformerRewardTrainer.Defaults.Heads;

    public int Epochs { get; set; } = TransformerRewardTrainer.Defaults.Epochs;

    public int BatchSize { get; set; } = TransformerRewardTrainer.Defaults.BatchSize;

    public double LearningRate { get; set; } = TransformerRewardTrainer.Defaults.LearningRate;

    /// <summary>Transformers: start from a language model of the same shape pretrained on the corpus (cached), as the paper's reward models do.</summary>
    public bool Pretrained { get; set; } = true;

    public int Trees { get; set; } = FastTreeRewardTrainer.Defaults.NumberOfTrees;

    public int Leaves { get; set; } = FastTreeRewardTrainer.Defaults.NumberOfLeaves;

    public int NgramLength { get; set; } = FastTreeRewardTrainer.Defaults.NgramLength;
}
