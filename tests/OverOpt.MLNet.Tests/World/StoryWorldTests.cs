using OverOpt.MLNet.Text;
using OverOpt.MLNet.World;

namespace OverOpt.MLNet.Tests;

/// <summary>The story world drawn from a seed: deterministic, its words distinct, its stories fit the pipeline's context.</summary>
public class StoryWorldTests
{
    private static readonly int[] WorldSeeds = [1, 2, 3];

    [Fact]
    public void TheSameWorldSeedGivesTheSameCastAndAnotherSeedDoesNot()
    {
        var first = StoryWorld.Create(1);
        var again = StoryWorld.Create(1);
        var other = StoryWorld.Create(2);

        Assert.Equal(first.Cast, again.Cast);
        Assert.NotEqual(first.Cast.Select(c => c.Name), other.Cast.Select(c => c.Name));
        Assert.NotEqual(first.Cast.Select(c => c.Kind), other.Cast.Select(c => c.Kind));
    }

    [Fact]
    public void TheSameSeedsGiveTheSameStoriesAndAnotherCorpusSeedOthers()
    {
        var first = StoryGenerator.Lines(worldSeed: 1, corpusSeed: 5, count: 200);
        var again = StoryGenerator.Lines(worldSeed: 1, corpusSeed: 5, count: 200);
        var otherCorpus = StoryGenerator.Lines(worldSeed: 1, corpusSeed: 6, count: 200);

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherCorpus);
    }

    [Fact]
    public void EveryWordBelongsToOneTableAndNoNameIsAnotherWord()
    {
        var tableWords = StoryWorld.AllTableWords().ToList();
        var repeated = tableWords.GroupBy(w => w).Where(g => g.Count() > 1 && g.Key != "her").Select(g => g.Key);
        Assert.Empty(repeated);
        foreach (int seed in WorldSeeds)
        {
            var world = StoryWorld.Create(seed);
            Assert.Equal(world.Options.CastSize, world.Cast.Select(c => c.Name).Distinct().Count());
            Assert.DoesNotContain(world.Cast, c => tableWords.Contains(c.Name));
            Assert.All(world.Cast, c => Assert.NotEqual(c.Rank, c.Friend));
        }
    }

    [Fact]
    public void StoriesAreWordTokenizerLinesThatFitAContextOf64WithTheirBeginToken()
    {
        foreach (int seed in WorldSeeds)
        {
            var world = StoryWorld.Create(seed);
            var stories = new StoryGenerator(world, corpusSeed: 10 + seed).Generate(3000).ToList();
            var tokenizer = WordTokenizer.Train(stories.Select(s => s.Text));

            Assert.All(stories, s => Assert.Equal(s.Text, tokenizer.Decode(tokenizer.Encode(s.Text))));
            Assert.All(stories, s => Assert.Equal(s.Tokens.Take(s.Tokens.Count - 1), tokenizer.Encode(s.Text).Select(tokenizer.TokenText)));
            // A language model reads <bos> and the story and predicts the story and the next <bos>: that many positions.
            Assert.True(stories.Max(s => s.ScoredTokens) <= 64, $"longest story needs {stories.Max(s => s.ScoredTokens)} positions");
            Assert.True(tokenizer.VocabularySize <= world.Vocabulary().Count + WordTokenizer.SpecialTokens.Count);
        }
    }

    [Fact]
    public void AFifteenTokenOpeningNamesTheHeroItsFactsAndTheGoal()
    {
        var world = StoryWorld.Create(1);
        var reader = new StoryReader(world);
        foreach (var story in new StoryGenerator(world, corpusSeed: 3).Generate(500))
        {
            var prompt = new[] { StoryScript.EndToken }.Concat(story.Tokens.Take(15)).ToArray();

            Assert.Equal(story.Plot.Hero, reader.Read(prompt).Stories[0].Hero);
            // The twelfth token is the goal's verb, so a 16-token prompt (with <bos>) always says what the ending must resolve.
            Assert.Equal(story.Plot.Goal, story.Tokens[11] switch { "lost" => GoalKind.Find, "went" => GoalKind.Visit, _ => GoalKind.Gather });
        }
    }

    [Fact]
    public void TheCastIsMentionedWithZipfFrequencies()
    {
        var world = StoryWorld.Create(2);
        var heroes = new StoryGenerator(world, corpusSeed: 4).Generate(20000).GroupBy(s => s.Plot.Hero!.Rank).ToDictionary(g => g.Key, g => g.Count());
        double expectedRatio = Math.Pow(10, world.Options.ZipfExponent);

        double ratio = heroes[0] / (double)heroes[9];
        Assert.InRange(ratio, 0.8 * expectedRatio, 1.25 * expectedRatio);
        Assert.True(heroes.Count > world.Options.CastSize / 2, $"only {heroes.Count} heroes among 20000 stories");
    }
}
