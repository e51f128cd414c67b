using OverOpt.MLNet.RewardModels;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// Gold's per-term fidelity (<see cref="RuleTermAgreement"/>): a term counts on the pairs it decides, and a model that
/// ignores it gets exactly those wrong.
/// </summary>
[Trait(Speed.Category, Speed.Fast)]
public sealed class RuleTermAgreementTests
{
    /// <summary>A rule of two terms read off the response: "bonus" its first token, "cost" minus its second.</summary>
    private sealed class TwoTermRule : IPreferenceRule
    {
        public string Key => "two-terms";
        public string Summary => "bonus minus cost";
        public EditVocabulary Edits => new(["a"], ["b"], ["."]);
        public double Score(IReadOnlyList<int> prompt, IReadOnlyList<int> response) => Terms(prompt, response).Values.Sum();
        public IReadOnlyDictionary<string, double> Terms(IReadOnlyList<int> prompt, IReadOnlyList<int> response)
            => new Dictionary<string, double> { ["bonus"] = response[0], ["cost"] = -response[1] };
    }

    [Theory]
    [InlineData(1.0, 2.0, true)]    // without the term the order flips
    [InlineData(1.0, 1.0, true)]    // without it the pair ties
    [InlineData(1.0, 0.5, false)]   // the rest already orders it so
    [InlineData(1.0, -1.0, false)]  // the term points the other way
    [InlineData(0.0, 1.0, false)]   // the rule ties the pair
    [InlineData(1.0, 0.0, false)]   // the term does not differ
    public void ATermIsPivotalWhereWithoutItTheRuleWouldOrderThePairOtherwise(double total, double term, bool pivotal)
    {
        Assert.Equal(pivotal, RuleTermAgreement.IsPivotal(total, term));
        Assert.Equal(pivotal, RuleTermAgreement.IsPivotal(-total, -term));
    }

    [Fact]
    public void AModelThatIgnoresATermGetsItsPivotalPairsWrongAndTheOthersRight()
    {
        // (bonus, cost) of three responses, totals 2, 1, 0. The cost decides the first pair (without it the second
        // response would win), the bonus the two pairs with the third.
        int[][] responses = [[2, 0], [3, 2], [0, 0]];
        var samples = responses.Select(r => (Prompt: new[] { 0 }, Response: r)).ToArray();
        var bonusOnly = responses.Select(r => (float)r[0]).ToArray();

        var terms = RuleTermAgreement.Measure(new TwoTermRule(), samples, bonusOnly).ToDictionary(t => t.Name);

        Assert.Equal((2, 1.0), (terms["bonus"].Pairs, terms["bonus"].Agreement));
        Assert.Equal((1, 0.0), (terms["cost"].Pairs, terms["cost"].Agreement));
    }

    [Fact]
    public void ATieOfTheModelsScoresCountsHalfAndATermNeverPivotalIsLeftOut()
    {
        int[][] responses = [[2, 1], [0, 1], [1, 1]];
        var samples = responses.Select(r => (Prompt: new[] { 0 }, Response: r)).ToArray();

        var terms = RuleTermAgreement.Measure(new TwoTermRule(), samples, [0f, 0f, 0f]).ToDictionary(t => t.Name);

        Assert.Equal((3, 0.5), (terms["bonus"].Pairs, terms["bonus"].Agreement));
        Assert.False(terms.ContainsKey("cost"));
    }
}
