using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Trainers;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// A transformer reward model's training checkpoints (<see cref="TransformerRewardTrainer.Options.CheckpointDirectory"/>):
/// a training killed midway, in its second epoch, resumes to the scores of an uninterrupted one; a damaged checkpoint is
/// discarded with a warning; one of another training stops it naming the file and the fix; an ensemble's members keep
/// theirs apart.
/// </summary>
public sealed class RewardTrainingCheckpointTests : IClassFixture<RewardModelFixture>, IDisposable
{
    private readonly RewardModelFixture _data;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "overopt-rm-checkpoint-" + Guid.NewGuid().ToString("N"));

    public RewardTrainingCheckpointTests(RewardModelFixture data) => _data = data;

    // 4,500 comparisons in batches of 64: 71 steps an epoch, 142 in all, a checkpoint every 40.
    private TransformerRewardTrainer.Options Options(string? checkpoints, IProgress<ProgressUpdate>? progress = null, double learningRate = 3e-3) => new()
    {
        Name = "tf-1x8",
        Tokenizer = _data.Policy.Tokenizer,
        Shape = new GptShape { Layers = 1, ModelDim = 8, Heads = 2, Context = 24 },
        Epochs = 2,
        LearningRate = learningRate,
        Seed = 7,
        CheckpointDirectory = checkpoints,
        CheckpointInterval = 40,
        Progress = progress,
    };

    private TransformerRewardModel Train(string? checkpoints, IProgress<ProgressUpdate>? progress = null, double learningRate = 3e-3)
        => (TransformerRewardModel)_data.Ml.RewardModels().Trainers.Transformer(Options(checkpoints, progress, learningRate)).Fit(_data.Train, _data.Validation);

    private float[] Probe(RewardModel model)
        => model.Score(_data.Rows.Take(60).Select(r => r.PromptTokens).ToArray(), _data.Rows.Take(60).Select(r => r.RejectedTokens).ToArray());

    private string CheckpointPath => Path.Combine(_folder, "reward-model.checkpoint.zip");

    [Fact]
    public void ARewardModelKilledInItsSecondEpochResumesFromItsCheckpointToTheScoresOfAnUninterruptedOne()
    {
        using var uninterrupted = Train(checkpoints: null);
        // Killed at the step-100 progress line: the last checkpoint is step 80's, in the second epoch (steps 72-142), so
        // the resumed run must replay the first epoch's shuffle and the second's to see the same batches.
        Assert.Throws<KilledByTestException>(() => Train(_folder, new KillAtProgress(100, "train tf-1x8")));
        Assert.True(File.Exists(CheckpointPath));

        var progress = new RecordedProgress();
        using var resumed = Train(_folder, progress);

        var resumedLine = Assert.Single(progress.Of("train tf-1x8"), u => u.Detail?.StartsWith("resumed from", StringComparison.Ordinal) == true);
        Assert.Equal(80, resumedLine.Done);
        Assert.DoesNotContain(progress.Of("train tf-1x8"), u => u.Done is > 0 and <= 80 && u != resumedLine);
        Assert.Equal(Probe(uninterrupted), Probe(resumed));
        Assert.Equal(uninterrupted.Info.ValidationLoss, resumed.Info.ValidationLoss);
    }

    [Fact]
    public void ADamagedCheckpointIsDiscardedWithAWarningAndTrainingStartsAgain()
    {
        using var uninterrupted = Train(checkpoints: null);
        Directory.CreateDirectory(_folder);
        File.WriteAllBytes(CheckpointPath, [1, 2, 3, 4]);
        var (trained, warnings) = MlWarnings.During(_data.Ml, () => Train(_folder));
        using var _ = trained;

        Assert.Contains(warnings, w => w.Contains(CheckpointPath, StringComparison.Ordinal) && w.Contains("unreadable checkpoint", StringComparison.Ordinal));
        Assert.Equal(Probe(uninterrupted), Probe(trained));
    }

    [Fact]
    public void ACheckpointOfAnotherTrainingStopsItNamingTheFileAndTheFix()
    {
        Assert.Throws<KilledByTestException>(() => Train(_folder, new KillAtProgress(50, "train tf-1x8")));

        var error = Assert.Throws<InvalidDataException>(() => Train(_folder, learningRate: 2e-3));

        Assert.Contains(CheckpointPath, error.Message);
        Assert.Contains("Fix: delete it", error.Message);
        Assert.True(File.Exists(CheckpointPath), "someone's checkpoint is kept, not deleted");
    }

    [Fact]
    public void AnEnsemblesMembersCheckpointInFoldersOfTheirOwn()
    {
        using var ensemble = _data.Ml.RewardModels().Trainers.Ensemble(new EnsembleRewardTrainer.Options
        {
            Name = "ens",
            Member = Options(_folder),
            Members = 2,
        }).Fit(_data.Train);

        Assert.True(File.Exists(Path.Combine(_folder, "ens-1", "reward-model.checkpoint.zip")));
        Assert.True(File.Exists(Path.Combine(_folder, "ens-2", "reward-model.checkpoint.zip")));
        Assert.False(File.Exists(CheckpointPath));
    }

    [Fact]
    public void ACheckpointIntervalBelowOneIsRefusedNamingTheField()
    {
        var options = Options(_folder);
        options.CheckpointInterval = 0;

        var error = Assert.Throws<OverOptConfigurationException>(() => _data.Ml.RewardModels().Trainers.Transformer(options));

        Assert.Equal("checkpointInterval", error.Field);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
