using OverOpt.MLNet.RewardModels;

namespace OverOpt.MLNet.Tests;

/// <summary>Per-term agreement on a rule of two terms, worked by hand, and its standard error (and that of two models' difference) against the responses and prompts it rests on.</summary>
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

        Assert.Equal((2L, 1.0), (terms["a"].Pairs, terms["a"].Agreement));
        Assert.Equal((2L, 1.0), (terms["b"].Pairs, terms["b"].Agreement));
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
    public void TermsNamedAloneAreMeasuredAsAmongAllAndTheRestLeftOut()
    {
        var predicted = Samples.Select(s => (float)s.Response[0]).ToArray();

        var only = RuleTermAgreement.Measure(new TwoTerms(), Samples, predicted, new HashSet<string> { "b" });

        Assert.Equal([RuleTermAgreement.Measure(new TwoTerms(), Samples, predicted).Single(t => t.Name == "b")], only);
    }

    [Fact]
    public void ATermNeverPivotalIsLeftOut()
    {
        // b is 1 everywhere, so it never differs within a pair; a decides all three.
        (int[] Prompt, int[] Response)[] samples = [([], [2, 1]), ([], [0, 1]), ([], [1, 1])];

        var terms = RuleTermAgreement.Measure(new TwoTerms(), samples, [2f, 0f, 1f]).ToDictionary(t => t.Name);

        Assert.Equal((3L, 1.0), (terms["a"].Pairs, terms["a"].Agreement));
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

    [Fact]
    public void ARareTermsErrorFollowsTheFewResponsesThatBreakItNotItsManyPairs()
    {
        var few = RareTerm(responses: 600, breakers: 6);
        var many = RareTerm(responses: 6000, breakers: 60);

        // Six breakers, three read right and three wrong: agreement one half, over 6 x 594 pairs, with the error of a
        // mean of six 0s and 1s, 0.5 / sqrt(6 - 1) = 0.224, where the pairs' own binomial error would be 0.008.
        Assert.Equal(0.5, few.Agreement, 12);
        Assert.Equal(6 * 594, few.Pairs);
        Assert.InRange(few.StandardError, 0.20, 0.25);
        Assert.True(few.StandardError > 10 * Math.Sqrt(0.25 / few.Pairs), $"{few.StandardError} against the pairs' {Math.Sqrt(0.25 / few.Pairs)}");
        // Ten times the breakers: about sqrt(10) times narrower, although the pairs grow a hundredfold.
        Assert.InRange(few.StandardError / many.StandardError, 2.5, 4.0);
    }

    [Fact]
    public void ItsStandardErrorMatchesABootstrapOverPrompts()
    {
        var random = new Random(7);
        // 100 prompts of 4 responses; the model reads the rule with noise, and each prompt shifts its responses' scores alike.
        var samples = Enumerable.Range(0, 400).Select(i => (Prompt: new[] { i / 4 }, Response: new[] { random.Next(10), random.Next(6) })).ToArray();
        var shift = Enumerable.Range(0, 100).Select(_ => 3 * Normal(random)).ToArray();
        var predicted = samples.Select(s => (float)(s.Response[0] + s.Response[1] + 2 * Normal(random) + shift[s.Prompt[0]])).ToArray();

        var terms = RuleTermAgreement.Measure(new TwoTerms(), samples, predicted).ToDictionary(t => t.Name);

        foreach (string name in new[] { "a", "b" })
        {
            double bootstrap = BootstrapError(samples, predicted, name, replicates: 300, new Random(11));
            Assert.InRange(terms[name].StandardError / bootstrap, 0.75, 1.33);
        }
    }

    [Fact]
    public void TwoModelsComparedGetEachItsOwnAgreementAndAModelAgainstItselfChangesNothing()
    {
        var (whole, first) = (Samples.Select(s => (float)(s.Response[0] + s.Response[1])).ToArray(), Samples.Select(s => (float)s.Response[0]).ToArray());

        var compared = RuleTermAgreement.Compare(new TwoTerms(), Samples, first, whole).ToDictionary(t => t.Name);
        // Each response its own prompt, so that the difference has an error at all (one prompt has none).
        var apart = Samples.Select((s, i) => (new[] { i }, s.Response)).ToArray();
        var itself = RuleTermAgreement.Compare(new TwoTerms(), apart, first, first).Single(t => t.Name == "b");

        Assert.Equal((2L, 0.25, 1.0, -0.75), (compared["b"].Pairs, compared["b"].Agreement, compared["b"].BaselineAgreement, compared["b"].Change));
        Assert.Equal((1.0, 1.0), (compared["a"].Agreement, compared["a"].BaselineAgreement));
        Assert.Equal((0.0, 0.0), (itself.Change, itself.StandardError));
    }

    [Fact]
    public void ADifferencesPairedErrorMatchesABootstrapOverPromptsAndIsFarBelowTheTwoErrorsApart()
    {
        var random = new Random(7);
        // 100 prompts of 4 responses; two models that share their reading of the rule and differ by a little noise of their own.
        var samples = Enumerable.Range(0, 400).Select(i => (Prompt: new[] { i / 4 }, Response: new[] { random.Next(10), random.Next(6) })).ToArray();
        var shift = Enumerable.Range(0, 100).Select(_ => 3 * Normal(random)).ToArray();
        var shared = samples.Select(s => s.Response[0] + s.Response[1] + 2 * Normal(random) + shift[s.Prompt[0]]).ToArray();
        var (model, baseline) = (shared.Select(x => (float)(x + 0.5 * Normal(random))).ToArray(), shared.Select(x => (float)(x + 0.5 * Normal(random))).ToArray());

        var compared = RuleTermAgreement.Compare(new TwoTerms(), samples, model, baseline).ToDictionary(t => t.Name);
        var (alone, baselineAlone) = (RuleTermAgreement.Measure(new TwoTerms(), samples, model).ToDictionary(t => t.Name),
            RuleTermAgreement.Measure(new TwoTerms(), samples, baseline).ToDictionary(t => t.Name));

        foreach (string name in new[] { "a", "b" })
        {
            double bootstrap = BootstrapError(samples, model, name, replicates: 300, new Random(11), baseline);
            Assert.InRange(compared[name].StandardError / bootstrap, 0.75, 1.33);
            Assert.True(compared[name].StandardError < 0.5 * Math.Sqrt(Math.Pow(alone[name].StandardError, 2) + Math.Pow(baselineAlone[name].StandardError, 2)),
                $"{name}: paired {compared[name].StandardError} against {alone[name].StandardError} and {baselineAlone[name].StandardError} apart");
        }
    }

    /// <summary>
    /// b is -20 for <paramref name="breakers"/> responses, whose a is the highest, so b decides each of their pairs with
    /// the rest; the model puts the first half of them below every other response and the second half above.
    /// </summary>
    private static RuleTermAgreement.Term RareTerm(int responses, int breakers)
    {
        var random = new Random(3);
        var samples = Enumerable.Range(0, responses).Select(i => (Prompt: new[] { i }, Response: i < breakers ? new[] { 9, -20 } : new[] { random.Next(9), 0 })).ToArray();
        var predicted = samples.Select((s, i) => (float)(s.Response[0] + (i >= breakers ? 0 : i < breakers / 2 ? -20 : 20))).ToArray();
        return RuleTermAgreement.Measure(new TwoTerms(), samples, predicted).Single(t => t.Name == "b");
    }

    /// <summary>
    /// The spread of the term's agreement (less the baseline's, where one is given) over resamples of whole prompts, a
    /// resampled response counted as often as it was drawn.
    /// </summary>
    private static double BootstrapError((int[] Prompt, int[] Response)[] samples, float[] predicted, string term, int replicates, Random random,
        float[]? baseline = null)
    {
        static double Agree(float[] scores, int a, int b, double total) => scores[a] == scores[b] ? 0.5 : (scores[a] > scores[b]) == (total > 0) ? 1 : 0;
        var rule = new TwoTerms();
        var totals = samples.Select(s => rule.Score(s.Prompt, s.Response)).ToArray();
        var values = samples.Select(s => rule.Terms(s.Prompt, s.Response)[term]).ToArray();
        int prompts = samples.Max(s => s.Prompt[0]) + 1;
        var agreements = new double[replicates];
        for (int r = 0; r < replicates; r++)
        {
            var drawn = new double[prompts];
            for (int p = 0; p < prompts; p++)
            {
                drawn[random.Next(prompts)]++;
            }
            double agree = 0, pairs = 0;
            for (int a = 0; a < samples.Length; a++)
            {
                for (int b = a + 1; b < samples.Length; b++)
                {
                    double total = totals[a] - totals[b];
                    if (RuleTermAgreement.IsPivotal(total, values[a] - values[b]))
                    {
                        double weight = drawn[samples[a].Prompt[0]] * drawn[samples[b].Prompt[0]];
                        pairs += weight;
                        agree += weight * (Agree(predicted, a, b, total) - (baseline is null ? 0 : Agree(baseline, a, b, total)));
                    }
                }
            }
            agreements[r] = agree / pairs;
        }
        double mean = agreements.Average();
        return Math.Sqrt(agreements.Sum(x => (x - mean) * (x - mean)) / (replicates - 1));
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
