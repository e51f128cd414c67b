using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Trainers;

/// <summary>
/// Fits a FastTree ranking reward model to preference rows (<see cref="PreferenceRow"/>: two rows per comparison
/// sharing a group id, label 1 chosen, 0 rejected), featurized as response token n-grams, so the pairwise logistic
/// ranking loss is Bradley-Terry's and the fitted ranker scores single responses. The returned model is an ordinary
/// ML.NET chain (n-grams, FastTree, pi_init normalization) that adds <c>Score</c> to rows like its training rows.
/// </summary>
public sealed class FastTreeRewardTrainer : IEstimator<RewardModel>
{
    private const string KeysColumn = "ResponseKeys";
    private const string FeaturesColumn = "Features";
    private readonly MLContext _ml;
    private readonly Options _options;

    /// <summary>Use <c>mlContext.RewardModels().Trainers.FastTree</c>.</summary>
    public FastTreeRewardTrainer(MLContext mlContext, Options options)
    {
        options.Validate();
        _ml = mlContext;
        _options = options;
    }

    /// <summary>The defaults of <see cref="Options"/>, of the catalog's simple overload and of the pipelines' proxy specs.</summary>
    public static class Defaults
    {
        /// <summary>Boosted trees.</summary>
        public const int NumberOfTrees = 100;

        /// <summary>Leaves per tree.</summary>
        public const int NumberOfLeaves = 20;

        /// <summary>Longest token n-gram used as a feature.</summary>
        public const int NgramLength = 2;
    }

    /// <summary>Options of <see cref="FastTreeRewardTrainer"/>. Size is set by trees and leaves.</summary>
    public sealed class Options : RewardTrainerOptions
    {
        /// <summary>Options with the name "fasttree".</summary>
        public Options()
        {
            Name = "fasttree";
        }

        /// <summary>Boosted trees.</summary>
        public int NumberOfTrees = Defaults.NumberOfTrees;

        /// <summary>Leaves per tree.</summary>
        public int NumberOfLeaves = Defaults.NumberOfLeaves;

        /// <summary>Fewest training rows in a leaf.</summary>
        public int MinimumExampleCountPerLeaf = 10;

        /// <summary>Boosting's shrinkage.</summary>
        public double LearningRate = 0.2;

        /// <summary>Longest token n-gram used as a feature (all shorter ones too).</summary>
        public int NgramLength = Defaults.NgramLength;

        internal void Validate()
        {
            RequireTokenizer(Tokenizer);
            ValidateSettings();
        }

        /// <summary>Checks every setting that needs neither data nor a tokenizer; an error names the option's field.</summary>
        public void ValidateSettings()
        {
            foreach (var (value, field) in new[] { (NumberOfTrees, "numberOfTrees"), (NumberOfLeaves - 1, "numberOfLeaves"), (MinimumExampleCountPerLeaf, "minimumExampleCountPerLeaf"), (NgramLength, "ngramLength") })
            {
                if (value <= 0)
                {
                    throw new OverOptConfigurationException($"{field} is too small.", field, field == "numberOfLeaves" ? "use at least 2 leaves." : $"set {field} to a positive whole number.");
                }
            }
        }
    }

    private sealed class RankingRow
    {
        public uint GroupId { get; set; }

        public float Label { get; set; }

        [VectorType]
        public int[] PromptTokens { get; set; } = [];

        [VectorType]
        public int[] ResponseTokens { get; set; } = [];
    }

    /// <summary>Trains on the preference rows of <paramref name="input"/>; the model adds <c>Score</c> to rows like them.</summary>
    public RewardModel Fit(IDataView input) => Fit(input, validationData: null);

    /// <summary>
    /// Trains on the preference rows of <paramref name="trainData"/>, as ML.NET's trainers do with a validation set:
    /// the model's <see cref="RewardModelInfo.ValidationLoss"/> and accuracy are measured on
    /// <paramref name="validationData"/> (held-out preference rows, the same columns), which training never reads.
    /// </summary>
    public RewardModel Fit(IDataView trainData, IDataView? validationData)
    {
        var input = trainData;
        var rows = PreferenceData.ReadPairs(_ml, input, _options.Columns, Purpose);
        var ranking = rows.SelectMany((r, i) => new[]
        {
            new RankingRow { GroupId = (uint)i, Label = 1, PromptTokens = r.PromptTokens, ResponseTokens = r.ChosenTokens },
            new RankingRow { GroupId = (uint)i, Label = 0, PromptTokens = r.PromptTokens, ResponseTokens = r.RejectedTokens },
        }).ToList();
        var data = _ml.Data.LoadFromEnumerable(ranking);
        // The group key is for training only; keeping it out of the model chain keeps scoring rows free of it.
        var grouped = _ml.Transforms.Conversion.MapValueToKey("GroupKey", nameof(RankingRow.GroupId)).Fit(data).Transform(data);
        var featurizer = _ml.Transforms.Conversion.MapValueToKey(KeysColumn, RewardInput.ResponseColumn)
            .Append(_ml.Transforms.Text.ProduceNgrams(FeaturesColumn, KeysColumn, ngramLength: _options.NgramLength, useAllLengths: true));
        var trainer = _ml.Ranking.Trainers.FastTree(new FastTreeRankingTrainer.Options
        {
            LabelColumnName = nameof(RankingRow.Label),
            FeatureColumnName = FeaturesColumn,
            RowGroupColumnName = "GroupKey",
            NumberOfTrees = _options.NumberOfTrees,
            NumberOfLeaves = _options.NumberOfLeaves,
            MinimumExampleCountPerLeaf = _options.MinimumExampleCountPerLeaf,
            LearningRate = _options.LearningRate,
        });
        var ranker = featurizer.Append(trainer).Fit(grouped);

        var prompts = ranking.Select(r => r.PromptTokens).ToArray();
        var responses = ranking.Select(r => r.ResponseTokens).ToArray();
        var raw = Scores(ranker, prompts, responses);
        var (normalizer, offset, scale) = RewardNormalization.Fit(_ml, raw);
        var info = new RewardModelInfo
        {
            Name = _options.Name,
            Parameters = (long)_options.NumberOfTrees * _options.NumberOfLeaves,
            TrainingComparisons = rows.Count,
            PromptColumnName = _options.PromptColumnName,
            ResponseColumnName = _options.ResponseColumnName,
            Offset = offset,
            Scale = scale,
        };
        // The features are the ranker's working columns, not the model's output: a reward model adds Score alone.
        var chain = ranker.Append(normalizer);
        var dropFeatures = _ml.Transforms.DropColumns(KeysColumn, FeaturesColumn).Fit(chain.Transform(grouped));
        return _options.Validated(_ml, validationData, FastTreeRewardModel.Create(_ml, chain.Append(dropFeatures), info, _options.Tokenizer!));
    }

    /// <summary>The input's columns plus the float <c>Score</c>; checks the preference columns first.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        PreferenceData.RequireColumns(inputSchema, _options.Columns, Purpose);
        return RewardSchemas.WithScore(_ml, inputSchema);
    }

    private string Purpose => $"training reward model '{_options.Name}'";

    private float[] Scores(ITransformer model, int[][] prompts, int[][] responses)
    {
        var rows = prompts.Zip(responses, (p, r) => new RewardInput { PromptTokens = p, ResponseTokens = r });
        return model.Transform(_ml.Data.LoadFromEnumerable(rows)).GetColumn<float>(RewardScore.ScoreColumn).ToArray();
    }
}
