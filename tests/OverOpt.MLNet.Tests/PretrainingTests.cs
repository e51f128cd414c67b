using Microsoft.ML;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Pretraining;

namespace OverOpt.MLNet.Tests;

public class PretrainingTests
{
    private static PretrainingOptions Options() => new()
    {
        Shape = new GptShape { Layers = 1, ModelDim = 32, Heads = 2, Context = 24 },
        Steps = 80,
        BatchSize = 16,
        LearningRate = 5e-3,
        WarmupSteps = 10,
        EvaluationInterval = 40,
        ValidationWindows = 64,
        Seed = 3,
    };

    [Fact]
    public void PretrainingLowersHeldOutLoss()
    {
        using var policy = new MLContext(1).Policies().Pretrain(TestModels.Corpus, Options());
        var d = policy.Description;

        Assert.True(d.InitialValidationLoss > Math.Log(policy.Tokenizer.VocabularySize) - 0.5, $"an untrained model should be near uniform, got {d.InitialValidationLoss}");
        Assert.True(d.ValidationLoss < 0.6 * d.InitialValidationLoss, $"held-out loss {d.InitialValidationLoss:F3} -> {d.ValidationLoss:F3}");
        Assert.Equal(3, d.TrainingLog.Count);
        Assert.True(d.TrainingLog[^1].ValidationLoss < d.TrainingLog[1].ValidationLoss);
    }

    [Fact]
    public void TheSameSeedGivesTheSameLossAndAnotherSeedDoesNot()
    {
        var ml = new MLContext(1);
        using var first = ml.Policies().Pretrain(TestModels.Corpus, Options());
        using var second = ml.Policies().Pretrain(TestModels.Corpus, Options());
        var other = Options();
        other.Seed = 4;
        using var third = ml.Policies().Pretrain(TestModels.Corpus, other);

        Assert.Equal(first.Description.ValidationLoss, second.Description.ValidationLoss);
        Assert.NotEqual(first.Description.ValidationLoss, third.Description.ValidationLoss);
    }

    [Fact]
    public void ACachedPretrainingKilledMidwayResumesBesideItsArtifactToTheNumbersOfAnUninterruptedOne()
    {
        string folder = Path.Combine(Path.GetTempPath(), "overopt-pretrain-resume-" + Guid.NewGuid().ToString("N"));
        try
        {
            var ml = new MLContext(1);
            using var uninterrupted = ml.Policies().Pretrain(TestModels.Corpus, Options());
            var options = Options();
            options.CheckpointInterval = 30;
            var cache = new Artifacts.ArtifactCache(folder);
            // Killed at the step-80 progress line, before that step's checkpoint: the last one is step 60's.
            Assert.Throws<KilledByTestException>(() => ml.Policies().Pretrain(TestModels.Corpus, options, cache, progress: new KillAtProgress(80)));
            var checkpoint = Assert.Single(Directory.GetFiles(folder, "pretrain.checkpoint.zip", SearchOption.AllDirectories));

            var progress = new RecordedProgress();
            using var resumed = ml.Policies().Pretrain(TestModels.Corpus, options, cache, progress: progress);

            Assert.Contains(progress.Of("pretrain"), u => u.Done == 60 && u.Detail == $"resumed from {checkpoint}");
            Assert.Equal(uninterrupted.Description.ValidationLoss, resumed.Description.ValidationLoss);
            Assert.Equal(uninterrupted.Description.TrainingLog, resumed.Description.TrainingLog);
            Assert.False(Directory.Exists(Path.GetDirectoryName(checkpoint)), "the checkpoint is removed once the policy is cached");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ImpossibleShapesNameTheFieldAndTheFix()
    {
        var options = Options();
        options.Shape = options.Shape with { ModelDim = 30, Heads = 4 };

        var error = Assert.Throws<Runtime.OverOptConfigurationException>(() => new PolicyPretrainer(options));

        Assert.Equal("heads", error.Field);
        Assert.Contains("does not divide", error.Message);
        Assert.Contains("Fix:", error.Message);
    }
}
