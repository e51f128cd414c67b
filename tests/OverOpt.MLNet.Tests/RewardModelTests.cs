using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Trainers;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Tests;

public sealed class RewardModelTests : IClassFixture<RewardModelFixture>, IDisposable
{
    private readonly RewardModelFixture _data;
    private readonly string _folder = Directory.CreateTempSubdirectory("overopt-rm-").FullName;

    public RewardModelTests(RewardModelFixture data)
    {
        _data = data;
    }

    private RewardModel Transformer(int layers, int width, int heads, int epochs = 2) => _data.Ml.RewardModels().Trainers.Transformer(new TransformerRewardTrainer.Options
    {
        Name = $"tf-{layers}x{width}",
        Tokenizer = _data.Policy.Tokenizer,
        Shape = new GptShape { Layers = layers, ModelDim = width, Heads = heads, Context = 24 },
        Epochs = epochs,
        LearningRate = 3e-3,
    }).Fit(_data.Train, _data.Validation);

    [Fact]
    public void AProxyBeatsChanceAndALargerOneBeatsASmallerOne()
    {
        using var small = Transformer(1, 4, 1);
        using var large = Transformer(2, 32, 4);

        Assert.Equal(4500, large.Info.TrainingComparisons);
        Assert.True(small.Info.ValidationAccuracy > 0.6, $"small accuracy {small.Info.ValidationAccuracy}");
        Assert.True(large.Info.ValidationLoss < Math.Log(2) - 0.1, $"large loss {large.Info.ValidationLoss}");
        Assert.True(large.Info.ValidationAccuracy > small.Info.ValidationAccuracy, $"{large.Info.ValidationAccuracy} vs {small.Info.ValidationAccuracy}");
        Assert.True(large.Info.Parameters > 10 * small.Info.Parameters);
    }

    [Fact]
    public void TheSimpleOverloadStartsFromAPretrainedLanguageModelAsTheOptionsDo()
    {
        var train = _data.Ml.Data.TakeRows(_data.Train, 400);
        var policy = _data.Policy;
        float[] Scores(RewardModel model) => model.Transform(_data.Validation).GetColumn<float>("Score").ToArray();

        using var simple = new MLContext(3).RewardModels().Trainers.Transformer(policy.Tokenizer, epochs: 1, pretrainedLanguageModel: policy).Fit(train);
        using var viaOptions = new MLContext(3).RewardModels().Trainers.Transformer(new TransformerRewardTrainer.Options
        {
            Name = "proxy", Tokenizer = policy.Tokenizer, Shape = policy.Shape, Epochs = 1, PretrainedInitialization = policy,
        }).Fit(train);
        using var fromScratch = new MLContext(3).RewardModels().Trainers.Transformer(new TransformerRewardTrainer.Options
        {
            Name = "proxy", Tokenizer = policy.Tokenizer, Shape = policy.Shape, Epochs = 1,
        }).Fit(train);

        Assert.Equal(Scores(viaOptions), Scores(simple));
        Assert.NotEqual(Scores(fromScratch), Scores(simple));
    }

    [Fact]
    public void TheLikelihoodReadoutReadsItsLanguageModelsLogLikelihoodAndStartsWithoutIt()
    {
        var model = _data.Policy.Model;
        using var network = new RewardNetwork(model.Shape, seed: 5, RewardReadout.MeanPoolAndLikelihood);
        network.InitializeBackbone(model);
        Assert.Equal(0f, network.named_parameters().Single(p => p.name == "scoreHead.weight").parameter[0, model.Shape.ModelDim].item<float>());
        using (no_grad())
        {
            // A score head that reads the likelihood alone: weight 1 on the last input, 0 elsewhere and on the bias.
            var head = network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            head["scoreHead.weight"].zero_();
            head["scoreHead.weight"][0, model.Shape.ModelDim] = tensor(1f);
            head["scoreHead.bias"].zero_();
        }
        using var sequences = TestModels.RandomPrompts(batch: 6, length: 20, model.Shape.VocabularySize, seed: 3);

        using var scores = network.forward(sequences);
        using var logits = model.forward(sequences);
        using var expected = logits.narrow(1, 0, 19).log_softmax(-1).gather(-1, sequences.narrow(1, 1, 19).unsqueeze(-1)).squeeze(-1).sum([1]);

        // Relative: the sums are near -160, where one float's step is 1.5e-5, and the two passes may order their sums apart
        // (one thread against several): an absolute 1e-5 failed there by one step.
        Assert.Equal(expected.data<float>().ToArray(), scores.data<float>().ToArray(), (a, b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Abs(a)));
        // The readout adds a whole language model (frozen) and one input of the score head.
        using var pooled = new RewardNetwork(model.Shape, seed: 5);
        Assert.Equal(pooled.ParameterCount + model.ParameterCount + 1, network.ParameterCount);
    }

    [Theory]
    [InlineData(RewardReadout.MeanPoolAndLikelihood)]
    [InlineData(RewardReadout.MeanPoolLikelihoodAndSurprise)]
    public void ALanguageModelReadoutModelSavesAndLoadsWithIdenticalScores(RewardReadout readout)
    {
        var policy = _data.Policy;
        using var model = new MLContext(3).RewardModels().Trainers.Transformer(new TransformerRewardTrainer.Options
        {
            Name = "likelihood", Tokenizer = policy.Tokenizer, Shape = policy.Shape, Epochs = 1, PretrainedInitialization = policy, Readout = readout,
        }).Fit(_data.Ml.Data.TakeRows(_data.Train, 400));
        var rows = _data.Rows.Take(50).Select(r => new RewardInput { PromptTokens = r.PromptTokens, ResponseTokens = r.ChosenTokens }).ToArray();
        string path = Path.Combine(_folder, "likelihood.zip");

        _data.Ml.RewardModels().Save(model, path);
        var fresh = new MLContext(seed: 99);
        using var loaded = (TransformerRewardModel)fresh.RewardModels().Load(path);

        Assert.Equal(readout, loaded.Network.Readout);
        // Training moved the reward model's own backbone but not the frozen language model it reads the likelihood from.
        var trained = loaded.Network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var pretrained = policy.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.True(trained["languageHead.weight"].allclose(pretrained["head.weight"], rtol: 0, atol: 0));
        Assert.All(pretrained.Where(p => p.Key.StartsWith("backbone.", StringComparison.Ordinal)), p =>
        {
            Assert.True(trained["language" + char.ToUpperInvariant(p.Key[0]) + p.Key[1..]].allclose(p.Value, rtol: 0, atol: 0), p.Key);
            Assert.False(trained[p.Key].allclose(p.Value, rtol: 0, atol: 0), p.Key);
        });
        float[] Column(MLContext ml, RewardModel m) => m.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>(RewardScore.ScoreColumn).ToArray();
        Assert.Equal(Column(_data.Ml, model), Column(fresh, loaded));
        Assert.Equal(model.Score(rows.Select(r => r.PromptTokens).ToArray(), rows.Select(r => r.ResponseTokens).ToArray()),
            loaded.Score(rows.Select(r => r.PromptTokens).ToArray(), rows.Select(r => r.ResponseTokens).ToArray()));
    }

    [Fact]
    public void ProxiesOfOneLanguageModelShareItsLikelihoodsAndScoreWithThemExactlyAsWithout()
    {
        var policy = _data.Policy;
        TransformerRewardModel Fit(int seed, int rows) => (TransformerRewardModel)new MLContext(seed).RewardModels().Trainers.Transformer(new TransformerRewardTrainer.Options
        {
            Name = $"likelihood-{seed}", Tokenizer = policy.Tokenizer, Shape = policy.Shape, Epochs = 1, PretrainedInitialization = policy, Readout = RewardReadout.MeanPoolAndLikelihood,
        }).Fit(_data.Ml.Data.TakeRows(_data.Train, rows));
        using var first = Fit(seed: 3, rows: 300);
        using var second = Fit(seed: 4, rows: 200);
        using var pooled = (TransformerRewardModel)Transformer(1, 8, 2, epochs: 1);
        using var unrelated = new RewardNetwork(policy.Shape, seed: 5, RewardReadout.MeanPoolAndLikelihood);
        // More pairs than one scoring batch (512), so that the likelihoods must line up with the batches across a boundary.
        var prompts = _data.Rows.Take(700).Select(r => r.PromptTokens).ToArray();
        var responses = _data.Rows.Take(700).Select(r => r.ChosenTokens).ToArray();

        var likelihoods = first.LanguageModelLikelihoods(prompts, responses);

        Assert.NotNull(first.LanguageModelFingerprint);
        Assert.Equal(first.LanguageModelFingerprint, second.LanguageModelFingerprint);
        Assert.NotEqual(first.LanguageModelFingerprint, unrelated.LanguageModelFingerprint);
        Assert.Equal(first.Score(prompts, responses), first.Score(prompts, responses, likelihoods));
        Assert.Equal(second.Score(prompts, responses), second.Score(prompts, responses, likelihoods));
        Assert.NotEqual(first.Score(prompts, responses), second.Score(prompts, responses));
        // The likelihood is a real input: other values give other scores.
        Assert.NotEqual(first.Score(prompts, responses), first.Score(prompts, responses, likelihoods.Select(v => v - 5f).ToArray()));
        Assert.Throws<ArgumentException>(() => first.Score(prompts, responses, likelihoods[..600]));
        Assert.Null(pooled.LanguageModelFingerprint);
        Assert.Throws<InvalidOperationException>(() => pooled.LanguageModelLikelihoods(prompts, responses));
        Assert.Throws<InvalidOperationException>(() => pooled.Score(prompts, responses, likelihoods));
    }

    [Fact]
    public void ScoringWithLikelihoodsReportsEveryBatchUnderTheModelsName()
    {
        var policy = _data.Policy;
        using var proxy = (TransformerRewardModel)new MLContext(3).RewardModels().Trainers.Transformer(new TransformerRewardTrainer.Options
        {
            Name = "reporting", Tokenizer = policy.Tokenizer, Shape = policy.Shape, Epochs = 1, PretrainedInitialization = policy, Readout = RewardReadout.MeanPoolAndLikelihood,
        }).Fit(_data.Ml.Data.TakeRows(_data.Train, 200));
        var prompts = _data.Rows.Take(700).Select(r => r.PromptTokens).ToArray();
        var responses = _data.Rows.Take(700).Select(r => r.ChosenTokens).ToArray();
        var progress = new RecordedProgress();

        var likelihoods = proxy.LanguageModelLikelihoods(prompts, responses, progress);
        var scores = proxy.Score(prompts, responses, likelihoods, progress);

        // Best-of-n scores hundreds of thousands of samples a proxy this way: each of its batches of 512 shows.
        Assert.Equal([(512L, 700L), (700L, 700L)], progress.Of("likelihoods reporting").Select(u => (u.Done, u.Total)));
        Assert.Equal([(512L, 700L), (700L, 700L)], progress.Of("score reporting").Select(u => (u.Done, u.Total)));
        Assert.Equal(proxy.Score(prompts, responses), scores);
    }

    [Fact]
    public void APooledModelReportsEveryBatchItScoresUnderItsName()
    {
        using var pooled = (TransformerRewardModel)Transformer(1, 8, 2, epochs: 1);
        var prompts = _data.Rows.Take(700).Select(r => r.PromptTokens).ToArray();
        var responses = _data.Rows.Take(700).Select(r => r.ChosenTokens).ToArray();
        var progress = new RecordedProgress();

        var scores = pooled.Score(prompts, responses, progress);

        // Best-of-n scores a mean-pool proxy's samples (and a network gold's) this way.
        Assert.Equal([(512L, 700L), (700L, 700L)], progress.Of($"score {pooled.Name}").Select(u => (u.Done, u.Total)));
        Assert.Equal(pooled.Score(prompts, responses), scores);
    }

    [Fact]
    public void ALikelihoodReadoutWithoutALanguageModelToReadIsRefused()
    {
        var error = Assert.Throws<OverOptConfigurationException>(() => _data.Ml.RewardModels().Trainers.Transformer(new TransformerRewardTrainer.Options
        {
            Tokenizer = _data.Policy.Tokenizer, Shape = _data.Policy.Shape, Readout = RewardReadout.MeanPoolAndLikelihood,
        }));

        Assert.Equal("pretrainedInitialization", error.Field);
    }

    [Fact]
    public void FastTreeBeatsChanceAsAnMLNetRankingPipeline()
    {
        using var model = _data.Ml.RewardModels().Trainers.FastTree(new FastTreeRewardTrainer.Options
        {
            Tokenizer = _data.Policy.Tokenizer,
            NumberOfTrees = 50,
            NumberOfLeaves = 10,
        }).Fit(_data.Train, _data.Validation);

        Assert.True(model.Info.ValidationAccuracy > 0.7, $"accuracy {model.Info.ValidationAccuracy}");
        Assert.Equal(FastTreeRewardModel.KindName, model.Info.Kind);
    }

    [Fact]
    public void ScoresAreNormalizedOnPiInitSamples()
    {
        using var model = Transformer(1, 8, 2, epochs: 1);
        var responses = _data.Rows.Skip(500).SelectMany(r => new[] { r.ChosenTokens, r.RejectedTokens }).ToArray();
        var prompts = _data.Rows.Skip(500).SelectMany(r => new[] { r.PromptTokens, r.PromptTokens }).ToArray();

        var scores = model.Score(prompts, responses).Select(s => (double)s).ToArray();

        Assert.Equal(0, scores.Average(), 3);
        Assert.Equal(1, Statistics.StandardDeviation(scores), 2);
    }

    [Fact]
    public void EveryKindSavesAndLoadsIntoAFreshContextWithIdenticalScores()
    {
        using var transformer = Transformer(1, 8, 2, epochs: 1);
        using var fastTree = _data.Ml.RewardModels().Trainers.FastTree(_data.Policy.Tokenizer, numberOfTrees: 20, numberOfLeaves: 8).Fit(_data.Train);
        var rows = _data.Rows.Take(50).Select(r => new RewardInput { PromptTokens = r.PromptTokens, ResponseTokens = r.ChosenTokens }).ToArray();

        foreach (var model in new RewardModel[] { transformer, fastTree })
        {
            string path = Path.Combine(_folder, $"{model.Info.Kind}.zip");
            _data.Ml.RewardModels().Save(model, path);
            var fresh = new MLContext(seed: 99);
            using var loaded = fresh.RewardModels().Load(path);

            float[] Column(MLContext ml, RewardModel m, IEnumerable<RewardInput> input) => m.Transform(ml.Data.LoadFromEnumerable(input)).GetColumn<float>(RewardScore.ScoreColumn).ToArray();
            Assert.Equal(Column(_data.Ml, model, rows), Column(fresh, loaded, rows));
            Assert.Equal(model.Score(rows.Select(r => r.PromptTokens).ToArray(), rows.Select(r => r.ResponseTokens).ToArray()),
                loaded.Score(rows.Select(r => r.PromptTokens).ToArray(), rows.Select(r => r.ResponseTokens).ToArray()));
            Assert.Equal(model.Info, loaded.Info with { Metrics = model.Info.Metrics });

            // A batch pads to its longest row and may take another kernel than one row does, so on some CPUs the
            // engine's single-row score differs from the batch's in the last bits: exact against a batch of one,
            // close against the batch of fifty.
            var engine = fresh.Model.CreatePredictionEngine<RewardInput, RewardScore>(loaded);
            float predicted = engine.Predict(rows[0]).Score;
            Assert.Equal(Column(fresh, loaded, rows.Take(1)).Single(), predicted);
            Assert.Equal(Column(fresh, loaded, rows)[0], predicted, tolerance: 1e-4f);
        }
    }

    [Fact]
    public void TruncatedOrForeignVersionModelFilesAreRefused()
    {
        using var model = Transformer(1, 8, 2, epochs: 1);
        string path = Path.Combine(_folder, "model.zip");
        model.Save(_data.Ml, path);
        var bytes = File.ReadAllBytes(path);
        string truncated = Path.Combine(_folder, "truncated.zip");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length * 2 / 3)]);
        string otherVersion = Path.Combine(_folder, "other.zip");
        Artifacts.ModelArchive.Write(otherVersion, "OverOpt.RewardModel", RewardModel.FormatVersion + 1, new Dictionary<string, byte[]> { ["x"] = [1] });

        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => RewardModel.Load(_data.Ml, truncated)).Message);
        Assert.Contains($"format version {RewardModel.FormatVersion + 1}", Assert.Throws<InvalidDataException>(() => RewardModel.Load(_data.Ml, otherVersion)).Message);
    }

    [Fact]
    public void TrainingDataWithAWrongSchemaNamesTheColumnAndTheFix()
    {
        var trainer = _data.Ml.RewardModels().Trainers.Transformer(_data.Policy.Tokenizer);
        var noResponse = _data.Ml.Data.LoadFromEnumerable(new[] { new { PromptTokens = new[] { 1, 2 }, Response = new[] { 3 }, Label = 1f, GroupId = 0u } });
        var textLabel = _data.Ml.Data.LoadFromEnumerable(new[] { new { PromptTokens = new[] { 1, 2 }, ResponseTokens = new[] { 3 }, Label = "yes", GroupId = 0u } });

        var missing = Assert.Throws<OverOptConfigurationException>(() => trainer.Fit(noResponse));
        var comparisons = Assert.Throws<OverOptConfigurationException>(() => trainer.Fit(_data.TrainComparisons));
        var label = Assert.Throws<OverOptConfigurationException>(() => trainer.GetOutputSchema(SchemaShapes.Of(textLabel.Schema)));

        Assert.Equal(RewardColumnDefaults.Response, missing.Field);
        Assert.Contains("Response", missing.Message);
        Assert.Contains("ToPreferenceRows", comparisons.Message);
        Assert.Equal(RewardColumnDefaults.Label, label.Field);
    }

    [Fact]
    public void AGroupThatIsNotOneComparisonIsNamed()
    {
        var rows = new[]
        {
            new PreferenceRow { GroupId = 4, Label = 1, PromptTokens = [1, 2], ResponseTokens = [3, 4] },
            new PreferenceRow { GroupId = 4, Label = 1, PromptTokens = [1, 2], ResponseTokens = [5, 6] },
        };
        var trainer = _data.Ml.RewardModels().Trainers.FastTree(_data.Policy.Tokenizer);

        var error = Assert.Throws<OverOptConfigurationException>(() => trainer.Fit(_data.Ml.Data.LoadFromEnumerable(rows)));

        Assert.Equal(RewardColumnDefaults.Label, error.Field);
        Assert.Contains("group 4", error.Message);
    }

    [Fact]
    public void NaNScoresInComparisonsAreRefused()
    {
        var rows = _data.Rows.Take(30).Select(r => new ComparisonRow { PromptTokens = r.PromptTokens, ChosenTokens = r.ChosenTokens, RejectedTokens = r.RejectedTokens, ChosenGold = r.ChosenGold, RejectedGold = r.RejectedGold }).ToList();
        rows[7].RejectedGold = float.NaN;

        var error = Assert.Throws<OverOptConfigurationException>(() => ComparisonData.Read(_data.Ml, _data.Ml.Data.LoadFromEnumerable(rows)));

        Assert.Equal(ComparisonRow.RejectedGoldColumn, error.Field);
        Assert.Contains("row 7", error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
