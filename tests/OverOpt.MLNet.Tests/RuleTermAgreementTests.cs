using OverOpt.MLNet.RewardModels;

namespace OverOpt.MLNet.Tests;

/// <summary>Per-term agreement on a rule of two terms, worked by hand.</summary>
[Trait(Speed.Category, Speed.Fast)]
public class RuleTermAgreementTests
{
    /// <summary>Score = a + b, with a and b the response's first two ids.</summary>
    private sealed class TwoTerms : IPreferenceRule
    {
        public string Key => "two-terms";

        public string Summary => "a + b";

        public EditVocabulary Edits { get; } = new([], [], []);

        public double Score(IReadOnlyList<int> prompt, IReadOnlyList<int> response) => Terms(prompt, response).Values.Sum();

        public IReadOnlyDictionary<string, double> Terms(IReadOnlyList<int> prompt, IReadOnlyList<int> response)
            => new Dictionary<string, double> { ["a"] = response[0], ["b"] = response[1] };
    }

    // (a, b) of four responses; totals 0, 2, 1, 0. Pairs and the terms pivotal in them (without the term the order flips or ties):
    // (0,1) total -2, a -2, b 0: a.   (0,2) total -1, a 0, b -1: b.   (0,3) total 0: none.
    // (1,2) total +1, a +2, b -1: a.  (1,3) total +2, a +1, b +1: none. (2,3) total +1, a -1, b +2: b.
    private static readonly (int[] Prompt, int[] Response)[] Samples = new int[][] { [0, 0], [2, 0], [0, 1], [1, -1] }.Select(r => (Array.Empty<int>(), r)).ToArray();

    private static Dictionary<string, RuleTermAgreement.Term> Measure(Func<int[], double> model)
        => RuleTermAgreement.Measure(new TwoTerms(), Samples, Samples.Select(s => (float)model(s.Response)).ToArray()).ToDictionary(t => t.Name);

    [Fact]
    public void AModelOfTheWholeRuleAgreesOnEveryPivotalPair()
    {
        var terms = Measure(r => r[0] + r[1]);

        Assert.Equal((2, 1.0), (terms["a"].Pairs, terms["a"].Agreement));
        Assert.Equal((2, 1.0), (terms["b"].Pairs, terms["b"].Agreement));
    }

    [Fact]
    public void AModelOfOneTermIsRightOnItsPairsAndWrongWhereTheOtherTermDecides()
    {
        // a alone: (0,1) and (1,2) right. On b's pairs, (0,2) ties (half) and (2,3) is ordered by a, the wrong way.
        var terms = Measure(r => r[0]);

        Assert.Equal(1.0, terms["a"].Agreement);
        Assert.Equal(0.25, terms["b"].Agreement);
    }

    [Fact]
    public void ATermNeverPivotalIsLeftOut()
    {
        // b is 1 everywhere, so it never differs within a pair; a decides all three.
        (int[] Prompt, int[] Response)[] samples = [([], [2, 1]), ([], [0, 1]), ([], [1, 1])];

        var terms = RuleTermAgreement.Measure(new TwoTerms(), samples, [2f, 0f, 1f]).ToDictionary(t => t.Name);

        Assert.Equal((3, 1.0), (terms["a"].Pairs, terms["a"].Agreement));
        Assert.False(terms.ContainsKey("b"));
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
}
