using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Trainers;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// Gold's fit on its own training samples (<see cref="GoldRewardTrainer.TrainingSampleCorrelationMetric"/>), the number
/// that tells memory from reading beside the held-out correlation: it is read on the samples gold trained on, each
/// against its own rule score.
/// </summary>
public sealed class GoldTrainingFitTests : IClassFixture<RewardModelFixture>
{
    private readonly RewardModelFixture _data;

    public GoldTrainingFitTests(RewardModelFixture data) => _data = data;

    [Fact]
    public void GoldRecordsItsCorrelationOnTheSamplesItTrainedOn()
    {
        using var gold = _data.Ml.RewardModels().Trainers.Gold(new GoldRewardTrainer.Options
        {
            InitialPolicy = _data.Policy,
            Corpus = TestModels.Corpus,
            Shape = new GptShape { Layers = 1, ModelDim = 16, Heads = 2, Context = 24 },
            Prompts = 200,
            SamplesPerPrompt = 8,
            ResponseLength = 12,
            EditedFraction = 0.2,
            Steps = 300,
            Seed = 3,
        }).Fit(_data.Ml.Policies().PromptRows(TextCorpus.Prompts(_data.Policy.Tokenizer, TestModels.Corpus.TrainStories, 6).Take(200)));

        double training = gold.Info.Metrics[GoldRewardTrainer.TrainingSampleCorrelationMetric];
        // Scores set against another sample's rule score would correlate near 0.
        Assert.InRange(training, 0.3, 1.0);
    }
}
