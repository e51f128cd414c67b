using Microsoft.ML;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.Trainers;

namespace OverOpt.MLNet;

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

    /// <summary>
    /// Trains the gold reward model on samples of <paramref name="policy"/> for the corpus's training prompts (see
    /// <see cref="GoldPreference"/>), every other option at its default: <see cref="RewardModelTrainers.Gold"/> with the
    /// prompts of <see cref="PromptSplit"/> of <paramref name="promptLength"/> tokens. Its fidelity: <see cref="GoldRewardTrainer.FidelityOf"/>.
    /// </summary>
    public TransformerRewardModel Gold(Policy policy, TextCorpus corpus, int promptLength = 8)
    {
        var prompts = _ml.Policies().PromptRows(PromptSplit.Create(policy.Tokenizer, corpus, promptLength).Train);
        return Trainers.Gold(new GoldRewardTrainer.Options { InitialPolicy = policy, Corpus = corpus }).Fit(prompts);
    }

    /// <summary>
    /// Labels <paramref name="count"/> comparisons of the policy's samples by <paramref name="gold"/> (a reward model or a rule), flipping a share
    /// <paramref name="labelNoise"/>: comparison rows (<see cref="ComparisonRow"/>), one per comparison. Reward trainers
    /// read preference rows: convert with <see cref="ToPreferenceRows"/>.
    /// </summary>
    public IDataView LabelComparisons(Policy policy, IRewardScorer gold, IReadOnlyList<int[]> prompts, int count, double labelNoise, SamplingOptions sampling, int seed)
        => _ml.Data.LoadFromEnumerable(ComparisonBuilder.Build(policy, gold, prompts, count, labelNoise, sampling, seed));

    /// <summary>
    /// Comparison rows (<see cref="ComparisonRow"/> columns: one row with a chosen and a rejected response) as
    /// preference rows (<see cref="PreferenceRow"/>: two rows per comparison sharing a group id, label 1 chosen and 0
    /// rejected, gold scores kept), the layout the reward trainers fit on and ML.NET's ranking tools read.
    /// </summary>
    public IDataView ToPreferenceRows(IDataView comparisons)
        => _ml.Data.LoadFromEnumerable(PreferenceData.FromComparisons(ComparisonData.Read(_ml, comparisons)));

    /// <summary>
    /// Pairwise accuracy and Bradley-Terry loss (at the loss-minimizing temperature, and unscaled) of a score column on
    /// preference rows, as <c>mlContext.Ranking.Evaluate</c> evaluates a ranking: e.g. the output of a reward model's
    /// <c>Transform</c> on held-out preference rows.
    /// </summary>
    /// <exception cref="OverOptConfigurationException">A column is missing or of the wrong type, a score is not finite, or a group is not one comparison.</exception>
    public RewardModelMetrics Evaluate(
        IDataView data,
        string labelColumnName = RewardColumnDefaults.Label,
        string rowGroupColumnName = RewardColumnDefaults.GroupId,
        string scoreColumnName = RewardColumnDefaults.Score)
        => RewardModelEvaluator.Evaluate(data, labelColumnName, rowGroupColumnName, scoreColumnName);

    /// <summary>
    /// Reward models already trained (e.g. loaded, or several seeds of one recipe) scored as one ensemble objective
    /// (<see cref="EnsembleRewardModel"/>), with its validation loss and accuracy on <paramref name="validationData"/>
    /// where given. The caller keeps the members and disposes them after the ensemble.
    /// </summary>
    public EnsembleRewardModel Ensemble(IReadOnlyList<RewardModel> members, BestOfN.BestOfNObjective objective, string name = "ensemble",
        double uncertaintyPenalty = EnsembleRewardTrainer.Defaults.UncertaintyPenalty, IDataView? validationData = null)
    {
        var ensemble = EnsembleRewardModel.Create(_ml, name, members, objective, uncertaintyPenalty, ownsMembers: false);
        return validationData is null ? ensemble
            : (EnsembleRewardModel)RewardModelValidation.Validated(_ml, validationData, new RewardColumns(ensemble.Info.PromptColumnName, ensemble.Info.ResponseColumnName,
                RewardColumnDefaults.Label, RewardColumnDefaults.GroupId), name, ensemble);
    }

    /// <summary>Saves to an OverOpt archive: an ML.NET model file (loadable with <c>mlContext.Model.Load</c> too) with the model's description, vocabulary and weights beside it.</summary>
    public void Save(RewardModel model, string path) => model.Save(_ml, path);

    /// <exception cref="InvalidDataException">The file is truncated, corrupt, from another version or not a reward model.</exception>
    /// <summary>Loads a model saved by <see cref="Save"/>, with its batch scorer and tokenizer.</summary>
    public RewardModel Load(string path) => RewardModel.Load(_ml, path);

    /// <summary>
    /// Writes a FastTree reward model to <paramref name="stream"/> as ONNX (see <see cref="RewardModelOnnx"/>): input
    /// <c>ResponseTokens</c>, int32 [batch, <paramref name="responseLength"/>]; output <c>Score.output</c>, the normalized score.
    /// <paramref name="responseLength"/> null: the one recorded in the model's provenance.
    /// </summary>
    /// <exception cref="NotSupportedException">A transformer reward model (TorchSharp inside a CustomMapping, which has no ONNX converter).</exception>
    public void ExportToOnnx(RewardModel model, Stream stream, int? responseLength = null) => RewardModelOnnx.Export(_ml, model, stream, responseLength);
}
