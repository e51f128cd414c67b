using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Trainers;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// Ensembles of reward models: the three objectives and the members' disagreement worked by hand on members with known
/// scores, the same through ML.NET's path; the trainer gives each member its own seed.
/// </summary>
[Trait(Speed.Category, Speed.Fast)]
public class EnsembleRewardModelTests
{
    /// <summary>Scores the response's id at a position: three such members disagree in known ways.</summary>
    private sealed class IdAt(int position) : IRewardScorer
    {
        public string Name => $"id{position}";

        public float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses) => responses.Select(r => (float)r[position]).ToArray();
    }

    private static readonly WordTokenizer Tokenizer = new(WordTokenizer.SpecialTokens.Concat(Enumerable.Range(0, 20).Select(i => $"w{i}")).ToList());

    /// <summary>Members that score ids 0, 1 and 2 of the response exactly (gold plus no noise).</summary>
    private static List<RewardModel> Members(MLContext ml)
    {
        var rows = ml.Data.LoadFromEnumerable(PreferenceData.FromComparisons([new ComparisonRow { PromptTokens = [1], ChosenTokens = [1, 2, 3], RejectedTokens = [3, 2, 1] }]));
        return Enumerable.Range(0, 3).Select(i => ml.RewardModels().Trainers.NoisyGold(new NoisyGoldRewardTrainer.Options
        {
            Name = $"m{i}", Gold = new IdAt(i), NoiseScale = 0, Tokenizer = Tokenizer,
        }).Fit(rows)).ToList();
    }

    [Theory]
    // Members score (1, 2, 6) and (4, 4, 4): mean 3 and 4; min 1 and 4; population variance 14/3 and 0, so with lambda
    // 0.5 the uncertainty-weighted scores are 3 - 7/3 = 2/3 and 4.
    [InlineData(BestOfNObjective.Mean, 3.0, 4.0)]
    [InlineData(BestOfNObjective.WorstCase, 1.0, 4.0)]
    [InlineData(BestOfNObjective.UncertaintyWeighted, 2.0 / 3, 4.0)]
    public void TheObjectivesAndTheDisagreementAreTheMembersScoresCombined(BestOfNObjective objective, double first, double second)
    {
        var ml = new MLContext(1);
        var members = Members(ml);
        int[][] prompts = [[1], [1]], responses = [[1, 2, 6], [4, 4, 4]];

        using var ensemble = ml.RewardModels().Ensemble(members, objective, "e", uncertaintyPenalty: 0.5);
        var scores = ensemble.Score(prompts, responses);

        Assert.Equal(first, scores[0], 5);
        Assert.Equal(second, scores[1], 5);
        var disagreement = ensemble.Disagreement(prompts, responses);
        Assert.Equal(14.0 / 3, disagreement[0], 9);
        Assert.Equal(0, disagreement[1], 12);
        Assert.Equal((EnsembleRewardModel.KindName, "e"), (ensemble.Info.Kind, ensemble.Name));
        var input = ml.Data.LoadFromEnumerable(prompts.Zip(responses, (p, r) => new RewardInput { PromptTokens = p, ResponseTokens = r }));
        Assert.Equal(scores, ensemble.Transform(input).GetColumn<float>(RewardScore.ScoreColumn).ToArray());
        Assert.Throws<NotSupportedException>(() => ensemble.Save(ml, Path.Combine(Path.GetTempPath(), $"ensemble-{Guid.NewGuid():N}.zip")));
    }

    [Fact]
    public void AnEnsembleNeedsTwoMembersAndAnObjectiveOverThem()
    {
        var ml = new MLContext(1);
        var members = Members(ml);

        Assert.Throws<ArgumentException>(() => ml.RewardModels().Ensemble(members.Take(1).ToList(), BestOfNObjective.Mean));
        Assert.Throws<ArgumentException>(() => ml.RewardModels().Ensemble(members, BestOfNObjective.Single));
        Assert.Equal("members", Assert.Throws<Runtime.OverOptConfigurationException>(() => new EnsembleRewardTrainer.Options { Members = 1 }.ValidateSettings()).Field);
        Assert.Equal("uncertaintyPenalty", Assert.Throws<Runtime.OverOptConfigurationException>(() => new EnsembleRewardTrainer.Options { UncertaintyPenalty = -1 }.ValidateSettings()).Field);
    }

    [Fact]
    public void TheTrainerGivesEachMemberItsOwnSeedAndScoresTheirObjective()
    {
        var ml = new MLContext(1);
        var random = new Random(3);
        int[] Tokens(int length) => Enumerable.Range(0, length).Select(_ => 3 + random.Next(20)).ToArray();
        var comparisons = Enumerable.Range(0, 40).Select(_ => new ComparisonRow { PromptTokens = Tokens(3), ChosenTokens = Tokens(4), RejectedTokens = Tokens(4) }).ToArray();
        var rows = ml.Data.LoadFromEnumerable(PreferenceData.FromComparisons(comparisons));
        var member = new TransformerRewardTrainer.Options
        {
            Tokenizer = Tokenizer, Shape = new Policies.GptShape { Layers = 1, ModelDim = 8, Heads = 2, Context = 8 }, Epochs = 1, BatchSize = 8,
        };

        using var ensemble = (EnsembleRewardModel)ml.RewardModels().Trainers.Ensemble(new EnsembleRewardTrainer.Options
        {
            Name = "e", Member = member, Members = 2, FirstSeed = 5, Objective = BestOfNObjective.Mean,
        }).Fit(rows, rows);

        var prompts = comparisons.Select(c => c.PromptTokens).ToArray();
        var responses = comparisons.Select(c => c.ChosenTokens).ToArray();
        var each = ensemble.MemberScores(prompts, responses);
        Assert.Equal(new[] { "e-1", "e-2" }, ensemble.Members.Select(m => m.Name));
        Assert.NotEqual(each[0], each[1]);
        var scores = ensemble.Score(prompts, responses);
        for (int i = 0; i < scores.Length; i++)
        {
            Assert.Equal((each[0][i] + each[1][i]) / 2.0, scores[i], 5);
        }
        Assert.True(double.IsFinite(ensemble.Info.ValidationLoss));
        Assert.Equal(ensemble.Members.Sum(m => m.Info.Parameters), ensemble.Info.Parameters);
    }
}
