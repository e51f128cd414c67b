using Microsoft.ML;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Trainers;

namespace OverOpt.MLNet;

/// <summary>The proxy estimators, each with a simple overload and an Options overload, as ML.NET's trainers are.</summary>
public sealed class RewardModelTrainers
{
    private readonly MLContext _ml;

    internal RewardModelTrainers(MLContext mlContext)
    {
        _ml = mlContext;
    }

    /// <summary>The gold reward model's trainer: a network that learns the synthetic reader's rule from pi_init's samples.</summary>
    public GoldRewardTrainer Gold(GoldRewardTrainer.Options options) => new(_ml, options);

    /// <summary>A transformer reward model trained with the Bradley-Terry loss on preference rows.</summary>
    public TransformerRewardTrainer Transformer(TransformerRewardTrainer.Options options) => new(_ml, options);

    /// <summary>
    /// A transformer reward model of the given size, every other option at its default. With
    /// <paramref name="pretrainedLanguageModel"/> (a policy of the same shape pretrained on the corpus, e.g. by
    /// <c>ml.Policies().Pretrain</c>) it starts from that model's backbone, as the paper's reward models and the
    /// pipelines' proxies do; without it, from random weights.
    /// </summary>
    public TransformerRewardTrainer Transformer(
        WordTokenizer tokenizer,
        int layers = TransformerRewardTrainer.Defaults.Layers,
        int modelDim = TransformerRewardTrainer.Defaults.ModelDim,
        int heads = TransformerRewardTrainer.Defaults.Heads,
        int epochs = TransformerRewardTrainer.Defaults.Epochs,
        string name = "proxy",
        string labelColumnName = RewardColumnDefaults.Label,
        string rowGroupColumnName = RewardColumnDefaults.GroupId,
        Policy? pretrainedLanguageModel = null)
        => new(_ml, new TransformerRewardTrainer.Options
        {
            Name = name,
            Tokenizer = tokenizer,
            Shape = pretrainedLanguageModel is { } model
                ? model.Shape
                : new GptShape { Layers = layers, ModelDim = modelDim, Heads = heads, Context = TransformerRewardTrainer.Defaults.Context },
            Epochs = epochs,
            LabelColumnName = labelColumnName,
            RowGroupColumnName = rowGroupColumnName,
            PretrainedInitialization = pretrainedLanguageModel,
        });

    /// <summary>
    /// A proxy that is gold plus independent, seeded noise per response (regressional Goodhart alone, the paper's sec.
    /// 4.2); its fit measures gold's within-prompt variance and records eq. 1's predicted slope of gold against the proxy.
    /// </summary>
    public NoisyGoldRewardTrainer NoisyGold(NoisyGoldRewardTrainer.Options options) => new(_ml, options);

    /// <summary>
    /// k transformer reward models of one recipe (seeds FirstSeed .. FirstSeed + k - 1) trained on the same preference rows
    /// and scored as one objective: mean, worst case or uncertainty-weighted (Coste et al. 2024).
    /// </summary>
    public EnsembleRewardTrainer Ensemble(EnsembleRewardTrainer.Options options) => new(_ml, options);

    /// <summary>A FastTree ranking reward model on response n-grams, trained on preference rows.</summary>
    public FastTreeRewardTrainer FastTree(FastTreeRewardTrainer.Options options) => new(_ml, options);

    /// <summary>A FastTree reward model of the given size, every other option at its default.</summary>
    public FastTreeRewardTrainer FastTree(
        WordTokenizer tokenizer,
        int numberOfTrees = FastTreeRewardTrainer.Defaults.NumberOfTrees,
        int numberOfLeaves = FastTreeRewardTrainer.Defaults.NumberOfLeaves,
        string name = "fasttree",
        string labelColumnName = RewardColumnDefaults.Label,
        string rowGroupColumnName = RewardColumnDefaults.GroupId)
        => new(_ml, new FastTreeRewardTrainer.Options
        {
            Name = name, Tokenizer = tokenizer, NumberOfTrees = numberOfTrees, NumberOfLeaves = numberOfLeaves,
            LabelColumnName = labelColumnName, RowGroupColumnName = rowGroupColumnName,
        });
}
