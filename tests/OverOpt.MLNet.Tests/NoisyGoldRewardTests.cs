using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Trainers;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// Gold plus noise (regressional Goodhart): the noise is a fixed function of the response and its seed with the law
/// asked for, and the proxy's fit measures gold's within-prompt variance and eq. 1's slope, worked here by hand.
/// </summary>
[Trait(Speed.Category, Speed.Fast)]
public class NoisyGoldRewardTests
{
    /// <summary>Gold = the response's first id.</summary>
    private sealed class FirstId : IRewardScorer
    {
        public string Name => "gold";

        public float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses) => responses.Select(r => (float)r[0]).ToArray();
    }

    private static readonly WordTokenizer Tokenizer = new(WordTokenizer.SpecialTokens.Concat(Enumerable.Range(0, 20).Select(i => $"w{i}")).ToList());

    private static IEnumerable<(int[] Prompt, int[] Response)> Pairs(int count)
    {
        var random = new Random(7);
        for (int i = 0; i < count; i++)
        {
            yield return (Enumerable.Range(0, 4).Select(_ => random.Next(40)).ToArray(), Enumerable.Range(0, 6).Select(_ => random.Next(40)).ToArray());
        }
    }

    [Fact]
    public void TheNoiseIsAFunctionOfTheResponseAndItsSeed()
    {
        var noise = new ResponseNoise(1, NoiseDistribution.Normal, 3, seed: 1);
        int[] prompt = [1, 2, 3], response = [4, 5, 6];

        Assert.Equal(noise.Of(prompt, response), noise.Of([1, 2, 3], [4, 5, 6]));
        Assert.NotEqual(noise.Of(prompt, response), new ResponseNoise(1, NoiseDistribution.Normal, 3, seed: 2).Of(prompt, response));
        Assert.NotEqual(noise.Of(prompt, response), noise.Of(prompt, [4, 5, 7]));
        // The boundary between prompt and response is part of the pair.
        Assert.NotEqual(noise.Of([1, 2], [3, 4, 5, 6]), noise.Of([1, 2, 3], [4, 5, 6]));
        Assert.Equal(2.5 * noise.Of(prompt, response), new ResponseNoise(2.5, NoiseDistribution.Normal, 3, seed: 1).Of(prompt, response), 12);
        Assert.Equal(0, new ResponseNoise(0, NoiseDistribution.StudentT, 2, seed: 1).Of(prompt, response));
    }

    [Theory]
    // Two-sided tail shares: P(|Z| > 1.96) = 0.05 (normal); P(|T| > 2.920) = 0.10 (t, 2 d.o.f.); P(|T| > 3.182) = 0.05 (t, 3).
    [InlineData(NoiseDistribution.Normal, 3, 1.960, 0.05)]
    [InlineData(NoiseDistribution.StudentT, 2, 2.920, 0.10)]
    [InlineData(NoiseDistribution.StudentT, 3, 3.182, 0.05)]
    public void TheNoiseHasTheLawAskedFor(NoiseDistribution law, int degreesOfFreedom, double quantile, double tail)
    {
        var noise = new ResponseNoise(1, law, degreesOfFreedom, seed: 3);
        var draws = Pairs(40_000).Select(p => noise.Of(p.Prompt, p.Response)).ToArray();

        // Binomial standard error of the share is at most 0.0015 here; 4 of them.
        double share = draws.Count(z => Math.Abs(z) > quantile) / (double)draws.Length;
        Assert.InRange(share, tail - 0.006, tail + 0.006);
        Assert.InRange(draws.Count(z => z > 0) / (double)draws.Length, 0.49, 0.51);
        Assert.InRange(Median(draws.Select(Math.Abs)), law == NoiseDistribution.Normal ? 0.66 : 0.74, law == NoiseDistribution.Normal ? 0.69 : 0.84);
        Assert.Equal(law == NoiseDistribution.Normal ? 1 : degreesOfFreedom > 2 ? 3 : double.PositiveInfinity, noise.Variance);
    }

    [Fact]
    public void TheFitMeasuresGoldsWithinPromptVarianceAndEquationOnesSlope()
    {
        var ml = new MLContext(1);
        // Gold of (chosen, rejected): (3, 1), (2, 2), (0, 4): squared differences 4, 0, 16, so Var X within a prompt is
        // (20 / 3) / 2 = 10 / 3; with noise of variance 1.5^2 = 2.25 eq. 1 predicts (10/3) / (10/3 + 2.25) = 40 / 67.
        var comparisons = new[] { (3, 1), (2, 2), (0, 4) }.Select((g, i) => new ComparisonRow
        {
            PromptTokens = [i, i + 1], ChosenTokens = [g.Item1, 9, 9], RejectedTokens = [g.Item2, 8, 8],
        }).ToArray();
        var rows = ml.Data.LoadFromEnumerable(PreferenceData.FromComparisons(comparisons));
        var options = new NoisyGoldRewardTrainer.Options { Gold = new FirstId(), Tokenizer = Tokenizer, NoiseScale = 1.5, Seed = 4, Name = "noisy" };

        var model = (NoisyGoldRewardModel)ml.RewardModels().Trainers.NoisyGold(options).Fit(rows, rows);

        Assert.Equal(10.0 / 3, model.Info.Metrics[NoisyGoldRewardTrainer.GoldWithinPromptVarianceMetric], 6);
        Assert.Equal(2.25, model.Info.Metrics[NoisyGoldRewardTrainer.NoiseVarianceMetric], 12);
        Assert.Equal(40.0 / 67, model.Info.Metrics[NoisyGoldRewardTrainer.PredictedGoldSlopeMetric], 6);
        Assert.Equal((NoisyGoldRewardModel.KindName, 0L, 3), (model.Info.Kind, model.Info.Parameters, model.Info.TrainingComparisons));
        Assert.True(double.IsFinite(model.Info.ValidationLoss));

        // Score is gold plus the seeded noise, and ML.NET's row-by-row path agrees with it.
        var prompts = comparisons.Select(c => c.PromptTokens).ToArray();
        var responses = comparisons.Select(c => c.ChosenTokens).ToArray();
        var scores = model.Score(prompts, responses);
        var noise = new ResponseNoise(1.5, NoiseDistribution.Normal, 3, seed: 4);
        for (int i = 0; i < scores.Length; i++)
        {
            Assert.Equal((float)(responses[i][0] + noise.Of(prompts[i], responses[i])), scores[i]);
        }
        var input = ml.Data.LoadFromEnumerable(prompts.Zip(responses, (p, r) => new RewardInput { PromptTokens = p, ResponseTokens = r }));
        Assert.Equal(scores, model.Transform(input).GetColumn<float>(RewardScore.ScoreColumn).ToArray());
    }

    [Fact]
    public void InfiniteNoiseVariancePredictsNoRiseAndTheModelIsNotSaved()
    {
        Assert.Equal(0, NoisyGoldRewardTrainer.PredictedGoldSlope(1, double.PositiveInfinity));
        Assert.Equal(1, NoisyGoldRewardTrainer.PredictedGoldSlope(1, 0));

        var ml = new MLContext(1);
        var rows = ml.Data.LoadFromEnumerable(PreferenceData.FromComparisons([new ComparisonRow { PromptTokens = [1], ChosenTokens = [2], RejectedTokens = [3] }]));
        using var model = ml.RewardModels().Trainers.NoisyGold(new NoisyGoldRewardTrainer.Options
        {
            Gold = new FirstId(), Tokenizer = Tokenizer, Distribution = NoiseDistribution.StudentT, DegreesOfFreedom = 2,
        }).Fit(rows);
        string path = Path.Combine(Path.GetTempPath(), $"noisy-{Guid.NewGuid():N}.zip");

        var error = Assert.Throws<NotSupportedException>(() => model.Save(ml, path));
        Assert.Contains("Trainers.NoisyGold", error.Message);
        Assert.False(File.Exists(path));
        Assert.Equal(0, model.Info.Metrics[NoisyGoldRewardTrainer.PredictedGoldSlopeMetric]);
    }

    [Fact]
    public void BadSettingsAreRefusedByField()
    {
        var ml = new MLContext(1);
        Assert.Equal("noiseScale", Assert.Throws<Runtime.OverOptConfigurationException>(() => ml.RewardModels().Trainers.NoisyGold(
            new NoisyGoldRewardTrainer.Options { Gold = new FirstId(), Tokenizer = Tokenizer, NoiseScale = double.NaN })).Field);
        Assert.Equal("degreesOfFreedom", Assert.Throws<Runtime.OverOptConfigurationException>(() => ml.RewardModels().Trainers.NoisyGold(
            new NoisyGoldRewardTrainer.Options { Gold = new FirstId(), Tokenizer = Tokenizer, Distribution = NoiseDistribution.StudentT, DegreesOfFreedom = 0 })).Field);
        Assert.Equal("gold", Assert.Throws<Runtime.OverOptConfigurationException>(() => ml.RewardModels().Trainers.NoisyGold(
            new NoisyGoldRewardTrainer.Options { Tokenizer = Tokenizer })).Field);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }
}
