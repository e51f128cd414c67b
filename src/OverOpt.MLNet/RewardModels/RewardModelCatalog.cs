using Microsoft.ML;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Gold;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Trainers;

namespace OverOpt.MLNet.RewardModels;

/// <summary>Reward models: the gold model, comparison labelling, proxy trainers, save and load. Reached as <c>mlContext.RewardModels()</c>.</summary>
public sealed class RewardModelCatalog
{
    private readonly MLContext _ml;

    internal RewardModelCatalog(MLContext mlContext)
    {
        TorchRuntime.EnsureLoaded();
        _ml = mlContext;
        Trainers = new RewardModelTrainers(mlContext);
    }

    /// <summary>Proxy reward model estimators.</summary>
    public RewardModelTrainers Trainers { get; }

    /// <summary>Trains the gold reward model on samples of <paramref name="policy"/> (see <see cref="GoldPreference"/>).</summary>
    public (TransformerRewardModel Gold, GoldRewardTrainer.Report Fidelity) Gold(Policy policy, TextCorpus corpus, GoldRewardTrainer.Options? options = null)
        => new GoldRewardTrainer(options ?? new GoldRewardTrainer.Options()).Fit(_ml, policy, corpus);

    /// <summary>Labels <paramref name="count"/> comparisons of the policy's samples by <paramref name="gold"/>, flipping a share <paramref name="labelNoise"/>.</summary>
    public IDataView LabelComparisons(Policy policy, RewardModel gold, IReadOnlyList<int[]> prompts, int count, double labelNoise, SamplingOptions sampling, int seed)
        => _ml.Data.LoadFromEnumerable(ComparisonBuilder.Build(policy, gold, prompts, count, labelNoise, sampling, seed));

    public void Save(RewardModel model, string path) => model.Save(_ml, path);

    /// <exception cref="InvalidDataException">The file is truncated, corrupt, from another version or not a reward model.</exception>
    public RewardModel Load(string path) => RewardModel.Load(_ml, path);

    /// <summary>
    /// Writes a FastTree reward model to <paramref name="stream"/> as ONNX (see <see cref="RewardModelOnnx"/>): input
    /// <c>ResponseTokens</c>, int32 [batch, <paramref name="responseLength"/>]; output <c>Score.output</c>, the normalized score.
    /// <paramref name="responseLength"/> null: the one recorded in the model's provenance.
    /// </summary>
    /// <exception cref="NotSupportedException">A transformer reward model (TorchSharp inside a CustomMapping, which has no ONNX converter).</exception>
    public void ExportToOnnx(RewardModel model, Stream stream, int? responseLength = null) => RewardModelOnnx.Export(_ml, model, stream, responseLength);
}

/// <summary>The proxy estimators, each with a simple overload and an Options overload, as ML.NET's trainers are.</summary>
public sealed class RewardModelTrainers
{
    private readonly MLContext _ml;

    internal RewardModelTrainers(MLContext mlContext)
    {
        _ml = mlContext;
    }

    public TransformerRewardTrainer Transformer(TransformerRewardTrainer.Options options) => new(_ml, options);

    public TransformerRewardTrainer Transformer(WordTokenizer tokenizer, int layers = 2, int modelDim = 32, int heads = 4, int epochs = 2, string name = "proxy")
        => new(_ml, new TransformerRewardTrainer.Options
        {
            Name = name,
            Tokenizer = tokenizer,
            Shape = new GptShape { Layers = layers, ModelDim = modelDim, Heads = heads, Context = 32 },
            Epochs = epochs,
        });

    public FastTreeRewardTrainer FastTree(FastTreeRewardTrainer.Options options) => new(_ml, options);

    public FastTreeRewardTrainer FastTree(WordTokenizer tokenizer, int numberOfTrees = 100, int numberOfLeaves = 20, string name = "fasttree")
        => new(_ml, new FastTreeRewardTrainer.Options { Name = name, Tokenizer = tokenizer, NumberOfTrees = numberOfTrees, NumberOfLeaves = numberOfLeaves });
}
