using OverOpt.MLNet.Text;
using OverOpt.MLNet.World;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// The story world's probabilities are exact: a parser over the world's tables re-derives every story's probability
/// from its text alone, and on a world small enough to enumerate, all stories' probabilities sum to 1.
/// </summary>
public class WorldExactProbabilityTests
{
    private static readonly int[] WorldSeeds = [1, 2, 3];

    /// <summary>A world small enough to write every story of: three characters, two words per table, counts to four.</summary>
    private static readonly StoryWorldOptions Tiny = new()
    {
        CastSize = 3,
        Kinds = 2,
        Places = 2,
        Treasures = 2,
        Foods = 2,
        Things = 2,
        MaxCount = 4,
        MinPicked = 2,
        MaxPicked = 3,
        MaxChange = 2,
        MaxEvents = 3,
    };

    [Theory]
    [InlineData(StoryWorld.Version)]
    [InlineData(StoryWorld.TemperamentVersion)]
    public void TheTextAloneGivesEachStoryTheLogProbabilityTheGeneratorRecorded(string design)
    {
        foreach (int seed in WorldSeeds)
        {
            var world = StoryWorld.Create(design, seed);
            var scorer = new ExactStoryScorer(world);
            foreach (var story in new StoryGenerator(world, corpusSeed: 100 + seed).Generate(3000))
            {
                var fromText = scorer.TokenLogProbabilities(story.Text);

                Assert.Equal(story.TokenLogProbabilities.Count, fromText.Count);
                Assert.Equal(story.LogProbability, fromText.Sum(), 9);
                Assert.Equal(story.Roles, scorer.Roles(story.Text));
            }
        }
    }

    [Theory]
    [InlineData(StoryWorld.Version)]
    [InlineData(StoryWorld.TemperamentVersion)]
    public void OnATinyWorldEveryStoryIsDistinctAndTheirProbabilitiesSumToOne(string design)
    {
        foreach (int seed in WorldSeeds)
        {
            var world = StoryWorld.Create(design, seed, Tiny);
            var scorer = new ExactStoryScorer(world);
            var stories = StoryEnumerator.Enumerate(world).ToList();
            double total = stories.Sum(s => Math.Exp(s.LogProbability));

            Assert.True(stories.Count > 1000, $"only {stories.Count} stories");
            Assert.Equal(1.0, total, 10);
            // Distinct texts: no text has two derivations, so its probability is the one path's.
            Assert.Equal(stories.Count, stories.Select(s => s.Text).Distinct().Count());
            Assert.All(stories.Where((_, i) => i % 97 == 0), s => Assert.Equal(s.LogProbability, scorer.LogProbability(s.Text), 10));
        }
    }

    [Fact]
    public void TheTinyWorldsEnumerationAgreesWithSampling()
    {
        var world = StoryWorld.Create(1, Tiny);
        var exact = StoryEnumerator.Enumerate(world).ToDictionary(s => s.Text, s => Math.Exp(s.LogProbability));
        const int draws = 40000;
        var counts = new StoryGenerator(world, corpusSeed: 9).Generate(draws).GroupBy(s => s.Text).ToDictionary(g => g.Key, g => g.Count());

        Assert.All(counts.Keys, text => Assert.True(exact.ContainsKey(text), text));
        // The most likely stories' frequencies are within five standard errors of their probabilities.
        foreach (var (text, p) in exact.OrderByDescending(kv => kv.Value).Take(20))
        {
            double frequency = counts.GetValueOrDefault(text) / (double)draws;
            Assert.InRange(frequency, p - 5 * Math.Sqrt(p * (1 - p) / draws), p + 5 * Math.Sqrt(p * (1 - p) / draws));
        }
    }

    [Fact]
    public void TheNextTokenDistributionIsTheChoiceTheStoryTookAtEveryPosition()
    {
        var world = StoryWorld.Create(2);
        var scorer = new ExactStoryScorer(world);
        foreach (var story in new StoryGenerator(world, corpusSeed: 11).Generate(100))
        {
            for (int i = 0; i < story.Tokens.Count; i++)
            {
                var next = scorer.NextToken(story.Tokens.Take(i).ToArray());
                double sum = Enumerable.Range(0, next.Count).Sum(next.Probability);

                Assert.Equal(1.0, sum, 12);
                Assert.Equal(story.TokenLogProbabilities[i], Math.Log(next.ProbabilityOf(story.Tokens[i])), 12);
            }
        }
    }

    [Fact]
    public void TheEndTokenIsScoredAsTheStreamOfStoriesPredictsIt()
    {
        var world = StoryWorld.Create(3);
        var stories = new StoryGenerator(world, corpusSeed: 12).Generate(200).ToList();
        var tokenizer = WordTokenizer.Train(stories.Select(s => s.Text));
        var stream = TextCorpus.Encode(tokenizer, stories.Select(s => s.Text)).Append(WordTokenizer.BeginId).Select(tokenizer.TokenText).ToArray();
        var streamLogProbabilities = new ExactStoryScorer(world).StreamLogProbabilities(stream);

        // Every token of the stream after the first <bos> is a target: the stories' tokens and each next <bos>.
        Assert.Equal(stories.Sum(s => s.ScoredTokens), stream.Length - 1);
        Assert.All(stories, s => Assert.Equal(StoryScript.EndToken, s.Tokens[^1]));
        Assert.Equal(stories.Sum(s => s.LogProbability), streamLogProbabilities.Skip(1).Sum(), 8);
    }

    [Fact]
    public void AWordTheGrammarCannotWriteHasProbabilityZeroAndTheNextStoryIsScoredAfresh()
    {
        var world = StoryWorld.Create(1);
        var scorer = new ExactStoryScorer(world);
        var story = new StoryGenerator(world, corpusSeed: 13).Next();
        var broken = story.Tokens.ToArray();
        broken[2] = world.Kinds.Words.First(k => k != broken[2]);
        var stream = new[] { StoryScript.EndToken }.Concat(broken).Concat(story.Tokens).ToArray();

        var logProbabilities = scorer.StreamLogProbabilities(stream);

        Assert.False(scorer.CanWrite(string.Join(' ', broken.Take(broken.Length - 1))));
        Assert.Equal(double.NegativeInfinity, logProbabilities[3]);
        Assert.True(double.IsNaN(logProbabilities[4]));
        Assert.Equal(story.LogProbability, logProbabilities.Skip(broken.Length + 1).Sum(), 9);
        Assert.Throws<StoryParseException>(() => scorer.LogProbability(string.Join(' ', broken.Take(broken.Length - 1))));
    }
}
