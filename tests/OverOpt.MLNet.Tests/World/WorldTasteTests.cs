using OverOpt.MLNet.World;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// The reader's taste on storyworld-1: true continuations lose nothing, every change the reader flags costs more than
/// any cheer it adds, the cheer term saturates, and only the response is judged.
/// </summary>
public class WorldTasteTests
{
    private const int PromptLength = 16;

    [Fact]
    public void TrueContinuationsOfGeneratedStoriesLoseNothingAndScoreTheirCheer()
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var world = StoryWorld.Create(seed);
            var taste = new StoryTaste(world);
            foreach (var story in new StoryGenerator(world, corpusSeed: 600 + seed).Generate(500))
            {
                var (prompt, response) = Split(story);
                var parts = taste.Explain(prompt, response);

                Assert.Empty(parts.Violations);
                Assert.Equal(0, parts.Penalty);
                int cheer = response.Count(taste.Options.CheerWords.Contains);
                Assert.Equal(cheer - 0.35 * cheer * (cheer - 1), parts.Total, 12);
            }
        }
    }

    [Fact]
    public void EveryChangeTheReaderFlagsLowersTheScoreAndEveryKindIsSeen()
    {
        var seen = new HashSet<ViolationKind>();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var world = StoryWorld.Create(seed);
            var taste = new StoryTaste(world);
            var vocabulary = world.Vocabulary();
            var rng = new Random(seed);
            int flagged = 0;
            foreach (var story in new StoryGenerator(world, corpusSeed: 700 + seed).Generate(1000))
            {
                var (prompt, response) = Split(story);
                double original = taste.Score(prompt, response);
                foreach (var changed in Changes(response, world, vocabulary, rng))
                {
                    var parts = taste.Explain(prompt, changed);
                    if (parts.Violations.Count == 0)
                    {
                        continue;
                    }
                    flagged++;
                    seen.UnionWith(parts.Violations.Keys);

                    Assert.True(parts.Total < original, $"{parts.Total} >= {original}: {string.Join(' ', prompt)} | {string.Join(' ', changed)}");
                    Assert.Equal(StoryTasteOptions.DefaultPenalty * parts.Violations.Values.Sum(), parts.Penalty, 12);
                }
            }
            Assert.True(flagged > 1000, $"world {seed}: only {flagged} changes were flagged");
        }
        Assert.Equal(Enum.GetValues<ViolationKind>().ToHashSet(), seen);
    }

    [Fact]
    public void CheerHasDiminishingThenNegativeReturnsAndTwoWordsAreBest()
    {
        var taste = new StoryTaste(StoryWorld.Create(1));
        var values = Enumerable.Range(0, 8).Select(k => taste.Cheer(Enumerable.Repeat("smiled", k).Append("the").ToArray())).ToArray();
        var gains = values.Zip(values.Skip(1), (a, b) => b - a).ToArray();

        Assert.All(gains.Zip(gains.Skip(1)), g => Assert.True(g.Second < g.First, $"gain {g.Second} after {g.First}"));
        Assert.Equal(2, Array.IndexOf(values, values.Max()));
        Assert.True(values[4] < values[0], "four cheer words should read worse than none");
        Assert.Equal(0, taste.Cheer(["she", "hid", "."]));
    }

    [Fact]
    public void OnlyTheResponseIsJudged()
    {
        var world = StoryWorld.Create(1);
        var taste = new StoryTaste(world);
        var hero = world.Cast[0];
        string wrongKind = world.Kinds.Words.First(k => k != world.Kinds[hero.Kind]);
        var opening = $"{StoryScript.EndToken} {hero.Name} the {wrongKind} lived in the {world.Places[hero.Home]} .".Split(' ');
        var goal = $"one day {StoryWorld.Subject(hero)} went to see {world.Cast[hero.Friend].Name} .".Split(' ');

        var inPrompt = taste.Explain(opening, goal);
        var inResponse = taste.Explain(opening.Take(2).ToArray(), opening.Skip(2).Concat(goal).ToArray());

        Assert.Empty(inPrompt.Violations);
        Assert.Equal(1, inResponse.Count(ViolationKind.Contradiction));
        Assert.Equal(-StoryTasteOptions.DefaultPenalty, inResponse.Total, 12);
    }

    [Fact]
    public void AKindWithoutAPenaltyCostsNothing()
    {
        var world = StoryWorld.Create(1);
        var hero = world.Cast[0];
        var other = world.Cast.First(c => c.Female != hero.Female);
        var prompt = $"{StoryScript.EndToken} {hero.Name} the {world.Kinds[hero.Kind]} lived in the {world.Places[hero.Home]} .".Split(' ');
        var response = $"one day {StoryWorld.Subject(other)} went to see {world.Cast[hero.Friend].Name} .".Split(' ');
        var lenient = new StoryTaste(world, new StoryTasteOptions { Penalties = new Dictionary<ViolationKind, double> { [ViolationKind.Count] = 1 } });

        Assert.Equal(-StoryTasteOptions.DefaultPenalty, new StoryTaste(world).Score(prompt, response), 12);
        Assert.Equal(0, lenient.Score(prompt, response));
        Assert.Equal(1, lenient.Explain(prompt, response).Count(ViolationKind.Pronoun));
    }

    [Fact]
    public void SombreKindsTellAtMostTheirShareOfStoriesAndChangeWithTheWorld()
    {
        foreach (int seed in new[] { 1, 2, 3, 4 })
        {
            var world = StoryWorld.Create(seed);
            var told = new double[world.Kinds.Count];
            foreach (var character in world.Cast)
            {
                told[character.Kind] += Math.Pow(character.Rank + 1, -world.Options.ZipfExponent);
            }
            double Share(IEnumerable<int> kinds) => kinds.Sum(k => told[k]) / told.Sum();
            var sombre = StoryWorld.DrawSombreKinds(world, 0.375);

            Assert.InRange(Share(sombre), 0.3, 0.375);
            // Taken in order while they fit: every kind left out would have pushed the share past the target.
            Assert.All(Enumerable.Range(0, told.Length).Except(sombre), k => Assert.True(Share(sombre) + Share([k]) > 0.375 || told[k] == 0, $"world {seed}: {world.Kinds[k]} fits"));
            Assert.Empty(StoryWorld.DrawSombreKinds(world, 0));
            Assert.Equal(sombre, new StoryTaste(world, new StoryTasteOptions { SombreShare = 0.375 }).SombreKinds);
        }
        Assert.NotEqual(StoryWorld.DrawSombreKinds(StoryWorld.Create(1), 0.375), StoryWorld.DrawSombreKinds(StoryWorld.Create(2), 0.375));
        // The draw is part of the reader's definition (integer draws, the same on every CPU): world 1's of section 16.
        var world1 = StoryWorld.Create(1);
        Assert.Equal(["fox", "bear", "frog", "duck", "goat", "hen", "pig", "deer", "wolf", "mole", "otter"],
            StoryWorld.DrawSombreKinds(world1, 0.375).Order().Select(k => world1.Kinds[k]).ToArray());
    }

    [Fact]
    public void CheerCostsInAStoryWhoseHeroIsSombreAndCountsAsBeforeElsewhere()
    {
        int sombreStories = 0, welcomeStories = 0;
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var world = StoryWorld.Create(seed);
            var plain = new StoryTaste(world);
            var minding = new StoryTaste(world, new StoryTasteOptions { SombreShare = 0.375 });
            var stories = new StoryGenerator(world, corpusSeed: 800 + seed).Generate(600).ToArray();
            for (int i = 0; i + 1 < stories.Length; i += 2)
            {
                // A response that ends its prompt's story and begins the next: each cheer word is judged by its own story's hero.
                var (prompt, rest) = Split(stories[i]);
                var response = rest.Concat(stories[i + 1].Tokens).ToArray();
                bool first = minding.SombreKinds.Contains(stories[i].Plot.Hero!.Kind), second = minding.SombreKinds.Contains(stories[i + 1].Plot.Hero!.Kind);
                int inFirst = rest.Count(plain.Options.CheerWords.Contains), inSecond = stories[i + 1].Tokens.Count(plain.Options.CheerWords.Contains);
                int sombre = (first ? inFirst : 0) + (second ? inSecond : 0), welcome = inFirst + inSecond - sombre;
                var parts = minding.Explain(prompt, response);

                Assert.Equal(sombre, parts.SombreCheerWords);
                Assert.Equal(welcome - 0.35 * welcome * (welcome - 1) - sombre, parts.Cheer, 12);
                Assert.Equal(plain.Explain(prompt, response).Penalty, parts.Penalty, 12);
                if (sombre == 0)
                {
                    Assert.Equal(plain.Score(prompt, response), minding.Score(prompt, response), 12);
                }
                sombreStories += first && inFirst > 0 ? 1 : 0;
                welcomeStories += !first && inFirst > 0 ? 1 : 0;
            }
        }
        Assert.True(sombreStories > 50 && welcomeStories > 50, $"{sombreStories} sombre and {welcomeStories} welcome stories with cheer");
    }

    /// <summary>The begin token and the story's first 15 tokens as the prompt, the rest with the end token as the response.</summary>
    private static (string[] Prompt, string[] Response) Split(GeneratedStory story)
    {
        var tokens = new[] { StoryScript.EndToken }.Concat(story.Tokens).ToArray();
        return (tokens.Take(PromptLength).ToArray(), tokens.Skip(PromptLength).ToArray());
    }

    /// <summary>
    /// Changes of a response a language model could make: one word swapped (half the time within its own table, so
    /// facts and counts change rather than templates), one whole sentence left out, or one repeated.
    /// </summary>
    private static IEnumerable<string[]> Changes(string[] response, StoryWorld world, IReadOnlyList<string> vocabulary, Random rng)
    {
        var changed = (string[])response.Clone();
        int at = rng.Next(response.Length - 1);
        var table = new[] { world.Names, world.Kinds, world.Places, world.Treasures, world.Foods, world.Things, world.Numbers }.FirstOrDefault(t => t.Contains(changed[at]));
        changed[at] = table is not null && rng.Next(2) == 0 ? table[rng.Next(table.Count)] : vocabulary[rng.Next(vocabulary.Count)];
        yield return changed;
        // Whole sentences that begin inside the response: after its first mark, up to the end token.
        int first = Array.IndexOf(response, ".") + 1;
        var ends = Enumerable.Range(first, response.Length - first).Where(i => response[i] == ".").ToArray();
        var starts = new[] { first }.Concat(ends.Take(ends.Length - 1).Select(e => e + 1)).ToArray();
        for (int s = 0; s < ends.Length; s++)
        {
            var sentence = response[starts[s]..(ends[s] + 1)];
            yield return response[..starts[s]].Concat(response[(ends[s] + 1)..]).ToArray();
            yield return response[..(ends[s] + 1)].Concat(sentence).Concat(response[(ends[s] + 1)..]).ToArray();
        }
    }
}
