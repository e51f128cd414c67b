using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Trainers;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// Gold's regression checkpoints (<see cref="GoldRewardTrainer.Options.CheckpointDirectory"/>): a training killed midway
/// resumes to the scores of an uninterrupted one, a damaged checkpoint is discarded with a warning, and one of another
/// training stops it naming the file and the fix.
/// </summary>
public sealed class GoldCheckpointTests : IClassFixture<RewardModelFixture>, IDisposable
{
    private const int Steps = 120;
    private readonly RewardModelFixture _data;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "overopt-gold-checkpoint-" + Guid.NewGuid().ToString("N"));

    public GoldCheckpointTests(RewardModelFixture data) => _data = data;

    // Both auxiliary losses, so that both random streams (rows and pairs) are replayed and both modules (network and
    // the per-term head) are restored.
    private TransformerRewardModel Gold(string? checkpoints, IProgress<ProgressUpdate>? progress = null, double learningRate = 1e-3)
        => GoldTrainerTests.Gold(_data, pairLossWeight: 1, steps: Steps, progress: progress, configure: options =>
        {
            (options.TermLossWeight, options.CheckpointDirectory, options.CheckpointInterval, options.LearningRate) = (0.1, checkpoints, 40, learningRate);
        });

    private (int[][] Prompts, int[][] Responses) Probe()
        => (_data.Rows.Take(60).Select(r => r.PromptTokens).ToArray(), _data.Rows.Take(60).Select(r => r.RejectedTokens).ToArray());

    [Fact]
    public void AGoldKilledMidwayResumesFromItsCheckpointToTheScoresOfAnUninterruptedOne()
    {
        using var uninterrupted = Gold(checkpoints: null);
        // Killed at the step-100 progress line: the last checkpoint is step 80's, so steps 81-120 are trained again.
        Assert.Throws<KilledByTestException>(() => Gold(_folder, new KillAtProgress(100, "train gold")));
        Assert.True(File.Exists(Path.Combine(_folder, "gold.checkpoint.zip")));

        var progress = new RecordedProgress();
        using var resumed = Gold(_folder, progress);

        var resumedLine = Assert.Single(progress.Of("train gold"), u => u.Detail?.StartsWith("resumed from", StringComparison.Ordinal) == true);
        Assert.Equal(80, resumedLine.Done);
        var (prompts, responses) = Probe();
        Assert.Equal(uninterrupted.Score(prompts, responses), resumed.Score(prompts, responses));
        Assert.Equal(uninterrupted.Info.Metrics, resumed.Info.Metrics);
    }

    [Fact]
    public void ADamagedCheckpointIsDiscardedWithAWarningAndTrainingStartsAgain()
    {
        using var uninterrupted = Gold(checkpoints: null);
        Directory.CreateDirectory(_folder);
        string path = Path.Combine(_folder, "gold.checkpoint.zip");
        File.WriteAllBytes(path, [1, 2, 3, 4]);
        var (trained, warnings) = MlWarnings.During(_data.Ml, () => Gold(_folder));
        using var _ = trained;

        Assert.Contains(warnings, w => w.Contains(path, StringComparison.Ordinal) && w.Contains("unreadable checkpoint", StringComparison.Ordinal));
        var (prompts, responses) = Probe();
        Assert.Equal(uninterrupted.Score(prompts, responses), trained.Score(prompts, responses));
    }

    [Fact]
    public void ACheckpointOfAnotherTrainingStopsItNamingTheFileAndTheFix()
    {
        Assert.Throws<KilledByTestException>(() => Gold(_folder, new KillAtProgress(50, "train gold")));

        var error = Assert.Throws<InvalidDataException>(() => Gold(_folder, learningRate: 2e-3));

        Assert.Contains(Path.Combine(_folder, "gold.checkpoint.zip"), error.Message);
        Assert.Contains("Fix: delete it", error.Message);
        Assert.True(File.Exists(Path.Combine(_folder, "gold.checkpoint.zip")), "someone's checkpoint is kept, not deleted");
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
